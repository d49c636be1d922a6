"""Reading a disclosure: a file's lines, the template's tables and their arithmetic, the narrative, the
performance forms and the purchase-of-services catalog (`parse.parse_document` is the entry)."""
