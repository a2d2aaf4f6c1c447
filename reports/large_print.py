"""Any text in large print for elderly readers: 18 pt, left-aligned, wide line spacing.

Used for a document or its summary read at a support session, or the answer to a member's
feedback. Blank lines separate paragraphs; a single line break is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from app.text import clean
from reports.layout import (
    DocHeader,
    Signer,
    build_pdf,
    frame_width,
    header_block,
    keep_with_previous,
    make_styles,
    signature_block,
    text_paragraphs,
    title_block,
)

LEADING_FACTOR = 1.55


def large_print_story(
    *,
    title: str,
    subtitle: str = "",
    body_text: str,
    header: DocHeader | None = None,
    signer: Signer | None = None,
    recipients: Sequence[str] = (),
) -> list[Flowable]:
    styles = make_styles(large_print=True)
    size = styles.body_size
    # Ragged right: justified lines at 18 pt open wide gaps that are harder to follow.
    body = ParagraphStyle(
        "large_body",
        parent=styles.body,
        alignment=TA_LEFT,
        leading=size * LEADING_FACTOR,
        firstLineIndent=0,
        spaceAfter=size * 0.7,
    )
    story: list[Flowable] = []
    if header is not None:
        story.append(header_block(header, width=frame_width()))
    story.extend(title_block(styles, title, subtitle))
    story.extend(Paragraph(text, body) for text in text_paragraphs(body_text))
    if signer is not None:
        block = signature_block(
            styles, width=frame_width(), right=signer, recipients=list(recipients)
        )
        keep_with_previous(story, block)
    return story


def large_print_pdf(
    *,
    title: str,
    subtitle: str = "",
    body_text: str,
    header: DocHeader | None = None,
    signer: Signer | None = None,
    recipients: Sequence[str] = (),
) -> bytes:
    """`body_text` in large print as PDF bytes, under an optional HD 36 header and over an
    optional signature ("T/M CHI BỘ / BÍ THƯ") with "Nơi nhận:"."""
    return build_pdf(
        large_print_story(
            title=title,
            subtitle=subtitle,
            body_text=body_text,
            header=header,
            signer=signer,
            recipients=recipients,
        ),
        title=clean(title),
        subject="Bản in chữ lớn",
        large_print=True,
    )
