"""A document's text (or summary) as a PDF: large print (18 pt) or normal (14 pt).

Front-end code (it calls reports/, which uses reportlab): the CLI and the UI share it.
"""

from __future__ import annotations

from typing import Any

from app.documents.reflow import reflow


def document_pdf(doc: Any, *, heading: str, body: str, large: bool, summary: bool) -> bytes:
    """A document's text (or summary) as PDF, in large print (18 pt) or normal size (14 pt).

    Shared by the CLI and the UI (both may call reports/)."""
    from reports.large_print import large_print_pdf

    body = reflow(body)
    title, _, number_line = heading.partition("\n")
    parts = [p for p in (number_line.strip("()"), doc.issuer) if p]
    if doc.issued_on:
        parts.append(f"ngày {doc.issued_on:%d/%m/%Y}")
    subtitle = " — ".join(parts)
    if summary:
        subtitle = f"Tóm tắt. {subtitle}" if subtitle else "Tóm tắt"
    if large:
        return large_print_pdf(title=title, subtitle=subtitle, body_text=body)
    return _normal_pdf(title=title, subtitle=subtitle, body=body)


def _normal_pdf(*, title: str, subtitle: str, body: str) -> bytes:
    from reportlab.platypus import Paragraph

    from reports.layout import build_pdf, make_styles, text_paragraphs, title_block

    styles = make_styles(large_print=False)
    story: list[Any] = list(title_block(styles, title, subtitle))
    story.extend(Paragraph(t, styles.body) for t in text_paragraphs(body))
    return build_pdf(story, title=title, subject="Tài liệu", large_print=False)
