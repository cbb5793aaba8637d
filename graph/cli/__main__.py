"""`python -m graph.cli`: the same commands as `postgraph` without `serve`."""

from graph.cli.commands import main

main()
