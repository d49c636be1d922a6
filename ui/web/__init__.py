"""The Gradio web front end: chat with sources and calculation checks, documents, catalog, upload."""
