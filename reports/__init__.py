"""Printed documents (reportlab): plain data in, PDF bytes out.

Import the module you need (reports.minutes, reports.invitation, ...): this package file
imports nothing, so loading the program does not load reportlab (about 250 ms).
reports.output.write_pdf writes the bytes to a file; reports.vn_format holds the Vietnamese
date and number wording. No module here imports Qt or a front end (cli/, ui/).

reports.printing is the one seam both front ends print through: it takes the book or app's
typed paper dataclasses (app.services.meeting_papers, ...) and calls the renderers here; the
renderers themselves take plain data and never open the book.
"""
