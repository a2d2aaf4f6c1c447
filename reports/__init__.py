"""Printed documents (reportlab): plain data in, PDF bytes out.

Import the module you need (reports.minutes, reports.invitation, ...): this package file
imports nothing, so loading the program does not load reportlab (about 250 ms).
reports.output.write_pdf writes the bytes to a file; reports.vn_format holds the Vietnamese
date and number wording. No module here imports app.storage or Qt.
"""
