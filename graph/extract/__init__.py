"""Extraction: a page's prose, the vocabulary and gazetteer matched in it, new names,
event editions, and the relations and themes the text states (a finished Extraction)."""
