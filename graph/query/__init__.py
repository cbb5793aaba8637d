"""Querying. Every query runs through `graph.query.sparql.run` (our prefixes, the knowledge graph
as default graph, the request's time budget, `QueryError` with the parser's line and column):

- our own queries (reports, entity pages, exports' lookups) and `postgraph query` (a person at
  their own terminal: Ctrl+C stops it) call it in-process;
- a server's clients' queries (`/sparql`, `/query`, the graph page's CONSTRUCT) go
  through `executor.Executor.run`, which checks them (read-only, no SERVICE), runs `run` in a
  killable worker process under a hard time limit (or asks the remote store's server), and
  serialises at most `max_rows` results (`executor.execute`).

Also here: the result writers, exports, dataset descriptions (describe) and SHACL validation.
"""
