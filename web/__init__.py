"""The web face of postgraph: a Flask app factory over the same functions the CLI uses."""

from .app import create_app

__all__ = ["create_app"]
