"""postgraph: a Hugo site's posts as an RDF knowledge graph in Oxigraph.

The pipeline, one module per arrow (see DESIGN.md): `site`/`post` read files, `mapping` turns
pages into quads, `store` keeps them, `build` runs the whole, `query`/`export`/`validate` use it.
"""

__version__ = "0.1.0"
