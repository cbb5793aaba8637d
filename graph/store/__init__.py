"""Storage: the Store interface, the embedded Oxigraph store and remote SPARQL stores."""
