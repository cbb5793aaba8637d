"""Building: plan (fingerprints, what is stale), map pages in killable workers, load
atomically, consolidate the knowledge graph, diff two builds."""
