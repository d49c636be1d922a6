"""The assistant: question → understanding → retrieval → composition → calculator + verifier."""
