"""Where ingested documents are kept: the structured index (with `sources/`, the store's truth), the
vectors and their embedders, the embedding cache, and following a shared Chroma server."""
