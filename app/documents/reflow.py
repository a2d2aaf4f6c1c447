"""Joining hard-wrapped lines (OCR output, PDF extraction) back into paragraphs for reading.

A line is joined to the one before unless the one before ends a sentence or the line starts
a list item or a heading ("- ", "1.", "II.", "a)", a line in capitals).
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"^(?:[-+•–*]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[IVXLC]{1,5}[.\-–]\s|[a-zđ]\)\s)")
_ENDS = (".", ":", ";", "!", "?", "…", "./.")


def _is_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def reflow(text: str) -> str:
    """Paragraphs separated by blank lines, each on one line (list items keep their own)."""
    out_blocks: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        merged: list[str] = []
        for line in lines:
            if (
                merged
                and not merged[-1].endswith(_ENDS)
                and not _ITEM.match(line)
                and not _is_heading(line)
                and not _is_heading(merged[-1])
            ):
                merged[-1] = f"{merged[-1]} {line}"
            else:
                merged.append(line)
        if merged:
            out_blocks.append("\n".join(merged))
    return "\n\n".join(out_blocks)
