"""The index: its fields, build and update, the index folder, the catalog of stored articles."""
