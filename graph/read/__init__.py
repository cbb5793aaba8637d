"""Reading a Hugo site as Hugo does: its configuration (languages, mounts, permalinks,
cascade, build options), which pages exist, their front matter and text."""
