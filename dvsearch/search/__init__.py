"""Searching: the query language, ranking, vocabulary, the searcher, passages, batch runs."""
