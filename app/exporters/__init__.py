"""Writing the book's data out to files other programs open (Excel)."""
