"""The fonts every document uses, registered with reportlab once, on first use.

Liberation Serif is metric-compatible with Times New Roman (the face HD 36-HD/VPTW asks for)
and covers Vietnamese; Liberation Sans Bold prints the recovery key.
"""

from __future__ import annotations

import functools

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource_path

SERIF = "Serif"
SERIF_BOLD = "Serif-Bold"
SERIF_ITALIC = "Serif-Italic"
SERIF_BOLD_ITALIC = "Serif-BoldItalic"
SANS = "Sans"
SANS_BOLD = "Sans-Bold"

_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
    SANS: "LiberationSans-Regular.ttf",
    SANS_BOLD: "LiberationSans-Bold.ttf",
}


@functools.cache
def ensure_fonts() -> None:
    """Register the Serif and Sans families so <b> and <i> work in Paragraphs.

    Cached: the TrueType files are parsed once per process, on the first document built.
    """
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(
        SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD_ITALIC
    )
    # Sans has no italic face in app/resources/fonts: map italic onto upright.
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
    )
