"""Querying: one SPARQL entry point, the killable executor, the format registry, result
writers, exports and SHACL validation."""
