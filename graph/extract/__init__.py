"""Extraction: a page's prose, the vocabulary and gazetteer matched in it, new names,
event editions, and the relations and themes the text states.

`extractor.Extractor.extract` assembles an `Extraction` (graph.model) from known names (matcher,
name_context), the editions they mean (edition_mentions, with `editions`, the one owner of
editions), places (place_mentions over the gazetteer in places) and new names (new_names,
patterns), then the relations between them (`claims`, by relations: colocation, locations, dates,
organizers, featured), and returns it finished. Patterns several of them read are in cues."""
