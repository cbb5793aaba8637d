"""The server's settings, declared once: their names in `app.config`, defaults, types and help.

`create_app` fills in every default; views read `setting(name)`; `postgraph serve`'s options are
made from the same table (web.cli), so a default or a help text is written in one place only
(Datasette's `SETTINGS` is the model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class Setting:
    name: str  # `postgraph serve --<name with dashes>`; app.config["POSTGRAPH_<NAME>"]
    default: Any
    help: str

    @property
    def key(self) -> str:
        return "POSTGRAPH_" + self.name.upper()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS = (
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped (answered 503)."),
    Setting("request_timeout", 5.0,
            "Seconds of work one request may take (an entity page, a search, the graph page and its data, "
            "/describe …); past it the work is stopped and the request answered 503 with a message, while "
            "other requests go on. 0: no limit. /sparql and /query have --query-timeout instead."),
    Setting("query_workers", 2, "Processes that run SPARQL queries (a stopped query's process is replaced)."),
    Setting("max_rows", 10_000, "Most results one SPARQL answer returns; more are cut, and the answer says so."),
    Setting("allow_service", False,
            "Allow SERVICE (federated queries); off by default because it makes the server fetch URLs."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    """Every setting's default, as app.config entries."""
    return {s.key: s.default for s in SETTINGS}


def setting(name: str) -> Any:
    """The current app's value of a setting, converted to its default's type."""
    s = BY_NAME[name]
    value = current_app.config.get(s.key, s.default)
    return type(s.default)(value) if value is not None else s.default
