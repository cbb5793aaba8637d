"""Exploring: the entity graph, network analysis, search, entity views and theme
candidates, for the CLI and the web pages."""
