"""Reading documents: text extraction, recognition of their parts, and the search index."""
