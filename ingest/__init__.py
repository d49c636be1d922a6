"""Ingestion: bytes → pages → document model → cited records → stores.

The rest of the product imports only `ingest.api`, this package's public face.
"""
