"""postgraph: a Hugo site's posts as an RDF knowledge graph in Oxigraph.

The pipeline, one subpackage per stage (see DESIGN.md and README's Layout): `read` (a Hugo site
as Hugo reads it) → `extract` (mentions and relations with their evidence) → `map` (statements:
a post's named graph and its facts) → `store` (embedded Oxigraph or a SPARQL server) → `build`
(plan, map in workers, load atomically, consolidate); `query` (SPARQL, formats, exports,
validation) and `explore` (entity graph, analysis, search, entity views) read the result; `cli`
is the command line.
"""

__version__ = "0.1.0"
