"""How a document is cited in a letter or a paper ("Hướng dẫn số 12-HD/BTCTW ngày … của …
về …"). Plain text in, plain text out, so both the services and the renderers use it."""

from __future__ import annotations

import datetime as dt
import re

from app.models.document import DOCUMENT_TYPES
from app.text import clean, fold


def document_citation(
    number: str, doc_type: str, title: str, issuer: str, issued_on: dt.date | None
) -> str:
    """How a document is cited in a letter: “Hướng dẫn số 12-HD/BTCTW ngày 18/01/2022 của Ban
    Tổ chức Trung ương về …”; the parts not known are left out."""
    title = clean(title)
    number = clean(number)
    if not doc_type and number:  # "57-NQ/TW" (Party) or "13/KH-SVHTTDL" (State)
        doc_type = re.split(r"[-/]", number + "-")[1] if re.match(r"\d+[-/]", number) else ""
    word = DOCUMENT_TYPES.get(doc_type, "") if doc_type not in ("TT", "KHAC") else ""
    if doc_type == "QĐ":
        word = "Quyết định" if fold(title).startswith("quyet dinh") else "Quy định"
    word = word or "Văn bản"
    rest = title
    if word and fold(rest).startswith(fold(word)):
        rest = clean(rest[len(word) :]).lstrip(":-– ")
    if not number:
        return title
    text = f"{word} số {number}".strip()
    if issued_on is not None:
        text += f" ngày {issued_on:%d/%m/%Y}"
    if clean(issuer):
        text += f" của {clean(issuer)}"
    if rest:
        if rest.isupper():  # a title typed in capitals reads as a sentence here
            rest = rest.lower()
        if not fold(rest).startswith("ve "):
            rest = "về " + rest[0].lower() + rest[1:]
        text += f" {rest}"
    return text
