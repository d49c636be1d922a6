"""Ingestion: bytes → pages → document model → cited records → stores."""
