"""Mapping: a page and its extraction as statements (IRIs minted in one place), the post's
named graph (mentions, claims, provenance) and its facts for the knowledge graph."""
