"""The `postgraph` command line (graph's commands; `serve` lives in web.cli)."""
