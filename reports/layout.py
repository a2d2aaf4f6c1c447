"""The Party document frame of HD 36-HD/VPTW and the pieces every document is built from.

A4; margins top and bottom 25 mm, left 35 mm, right 15 mm; the issuing body top left and
"ĐẢNG CỘNG SẢN VIỆT NAM" top right; the title in bold capitals; the body in 14 pt justified
with a first-line indent; page numbers centred at the top from page 2 on; signature blocks
kept on one page with the lines before them.

User text is always passed through `esc` (or `text_paragraphs`) before it reaches Paragraph
markup, so a name with "&" or "<" prints as written.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as landscape_of
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.text import clean
from reports.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, ensure_fonts
from reports.vn_format import vn_date_line

__all__ = [
    "AUTHOR",
    "DocHeader",
    "Margins",
    "Signer",
    "Styles",
    "build_pdf",
    "esc",
    "esc_clause",
    "esc_upper",
    "frame_height",
    "frame_width",
    "header_block",
    "heading",
    "keep_with_previous",
    "make_styles",
    "number_line",
    "punctuated",
    "signature_block",
    "text_paragraphs",
    "title_block",
    "vn_date_line",
]

AUTHOR = "Sổ tay Chi bộ"
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"

# Base sizes in points: HD 36 asks for 14 (body), 15 (party name), 15-16 (title).
BODY_SIZE = 14.0
LARGE_BODY_SIZE = 18.0

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_SPACES = re.compile(r"[ \t\u00a0]+")
_ENTITY_END = re.compile(r"&[a-z]+;$")


@dataclass(frozen=True)
class DocHeader:
    """The header every Party document carries.

    committee: the upper body, e.g. "Đảng bộ phường Quy Nhơn" (printed in capitals);
    branch: the issuing branch, e.g. "Chi bộ Khu phố 3" (printed bold, in capitals);
    place and date: the italic line "Quy Nhơn, ngày 05 tháng 11 năm 2025";
    number: "05-BB/CB" or "Số 05-BB/CB"; left out when empty.
    """

    committee: str
    branch: str
    place: str
    date: date
    number: str = ""


@dataclass(frozen=True)
class Signer:
    """One signature column: an optional "T/M CHI BỘ" line, the role, then the name."""

    role: str
    name: str = ""
    on_behalf: str = ""


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


PORTRAIT_MARGINS = Margins(top=25 * mm, bottom=25 * mm, left=35 * mm, right=15 * mm)
# A landscape page is filed with its top edge at the binding (turned a quarter to read), so
# the binding margin is the top one; the sides keep the width tables need.
LANDSCAPE_MARGINS = Margins(top=30 * mm, bottom=15 * mm, left=20 * mm, right=15 * mm)


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one document; sizes grow together with `large_print`."""

    large_print: bool
    body: ParagraphStyle
    body_flush: ParagraphStyle  # lists and labelled lines: as body, tighter spacing
    heading: ParagraphStyle  # "I. THÀNH PHẦN"
    subheading: ParagraphStyle  # "1. Thông tin thời sự"
    title: ParagraphStyle
    subtitle: ParagraphStyle
    centered: ParagraphStyle
    italic_note: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    sign_role: ParagraphStyle
    sign_name: ParagraphStyle
    recipients_title: ParagraphStyle
    recipients_item: ParagraphStyle
    page_number_size: float

    @property
    def body_size(self) -> float:
        return float(self.body.fontSize)


def _style(
    name: str, size: float, *, leading: float | None = None, **kwargs: Any
) -> ParagraphStyle:
    kwargs.setdefault("fontName", SERIF)
    return ParagraphStyle(name, fontSize=size, leading=leading or size * 1.25, **kwargs)


@functools.cache
def make_styles(large_print: bool = False) -> Styles:
    """The styles of a document; `large_print` sets the body at 18 pt for elderly readers."""
    ensure_fonts()
    size = LARGE_BODY_SIZE if large_print else BODY_SIZE
    leading = size * (1.45 if large_print else 1.3)
    cell = size - 2 if large_print else 12.0
    small = max(12.0, size - 2)
    return Styles(
        large_print=large_print,
        body=_style(
            "body",
            size,
            leading=leading,
            alignment=TA_JUSTIFY,
            firstLineIndent=10 * mm,
            spaceAfter=size * 0.4,
        ),
        body_flush=_style(
            "body_flush",
            size,
            leading=leading,
            alignment=TA_JUSTIFY,
            firstLineIndent=10 * mm,
            spaceAfter=size * 0.2,
        ),
        heading=_style(
            "heading",
            size,
            leading=leading,
            fontName=SERIF_BOLD,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.3,
        ),
        subheading=_style(
            "subheading",
            size,
            leading=leading,
            fontName=SERIF_BOLD,
            alignment=TA_JUSTIFY,
            firstLineIndent=10 * mm,
            spaceBefore=size * 0.3,
            spaceAfter=size * 0.2,
        ),
        title=_style(
            "title",
            size + (2 if large_print else 1.5),
            fontName=SERIF_BOLD,
            alignment=TA_CENTER,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.2,
            keepWithNext=1,
        ),
        subtitle=_style(
            "subtitle",
            size,
            fontName=SERIF_BOLD,
            alignment=TA_CENTER,
            spaceAfter=size * 0.2,
            keepWithNext=1,
        ),
        centered=_style("centered", size, leading=leading, alignment=TA_CENTER),
        italic_note=_style(
            "italic_note", small, fontName=SERIF_ITALIC, alignment=TA_CENTER, spaceAfter=4
        ),
        cell=_style("cell", cell, alignment=TA_LEFT, leading=cell * 1.2),
        cell_center=_style("cell_center", cell, alignment=TA_CENTER, leading=cell * 1.2),
        cell_right=_style("cell_right", cell, alignment=TA_RIGHT, leading=cell * 1.2),
        cell_head=_style(
            "cell_head", cell, fontName=SERIF_BOLD, alignment=TA_CENTER, leading=cell * 1.2
        ),
        sign_role=_style("sign_role", size, fontName=SERIF_BOLD, alignment=TA_CENTER),
        sign_name=_style("sign_name", size, fontName=SERIF_BOLD, alignment=TA_CENTER),
        recipients_title=_style("recipients_title", 14 if not large_print else small),
        recipients_item=_style("recipients_item", 12 if not large_print else small),
        page_number_size=size,
    )


def compact_styles(styles: Styles) -> Styles:
    """The same sizes with tighter spacing (leading 1.2, little space between paragraphs):
    used to keep a one-page letter on one page when a sentence would spill over."""
    import dataclasses

    def tight(style: ParagraphStyle) -> ParagraphStyle:
        size = float(style.fontSize)
        return ParagraphStyle(
            f"{style.name}_compact",
            parent=style,
            leading=size * 1.2,
            spaceAfter=min(float(style.spaceAfter), size * 0.15),
            spaceBefore=min(float(style.spaceBefore), size * 0.2),
        )

    return dataclasses.replace(
        styles,
        body=tight(styles.body),
        body_flush=tight(styles.body_flush),
        heading=tight(styles.heading),
        centered=tight(styles.centered),
        title=tight(styles.title),
        subtitle=tight(styles.subtitle),
    )


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF built here (reportlab writes one /Type /Page each)."""
    return len(_PAGE_OBJECT.findall(pdf))


# --- text -------------------------------------------------------------------------------


def esc(text: object) -> str:
    """One line of user text, NFC, spaces collapsed, escaped for Paragraph markup."""
    if text is None:
        return ""
    return escape(clean(_CONTROL.sub("", str(text))))


def esc_clause(text: object) -> str:
    """As `esc`, without trailing '.', ',' or ';', for text the document itself ends with
    punctuation ("ốm." must not print as "ốm..")."""
    if text is None:
        return ""
    return esc(clean(str(text)).rstrip(" .,;"))


def esc_upper(text: object) -> str:
    """As `esc`, in capitals (capitalised before escaping, so '&amp;' stays an entity)."""
    if text is None:
        return ""
    return esc(str(text).upper())


def text_paragraphs(text: str | None) -> list[str]:
    """Split free text into paragraph markup: blank lines part paragraphs, a single line
    break stays a line break. Every piece is escaped."""
    if not text:
        return []
    normal = unicodedata.normalize("NFC", _CONTROL.sub("", text.replace("\r\n", "\n")))
    normal = normal.replace("\r", "\n")
    result: list[str] = []
    for block in _BLANK_LINE.split(normal):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            result.append("<br/>".join(escape(line) for line in lines))
    return result


def punctuated(items: Sequence[str], *, between: str = ";", end: str = ".") -> list[str]:
    """List lines as Vietnamese documents end them: ';' after each, '.' after the last,
    unless the line already ends with punctuation. Takes and returns markup."""
    result: list[str] = []
    for index, item in enumerate(items):
        mark = end if index == len(items) - 1 else between
        ended = item.endswith((".", ",", ";", ":", "!", "?")) and not _ENTITY_END.search(item)
        result.append(item if ended else item + mark)
    return result


def number_line(number: str) -> str:
    """'Số 05-BB/CB' from '05-BB/CB' (or from 'Số 05-BB/CB' as given); '' stays ''."""
    number = clean(number)
    if not number:
        return ""
    if number.lower().startswith("số"):
        return number
    return f"Số {number}"


# --- page frame ---------------------------------------------------------------------------


def page_size(landscape: bool = False) -> tuple[float, float]:
    return landscape_of(A4) if landscape else A4


def margins_for(landscape: bool = False) -> Margins:
    return LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS


def frame_width(landscape: bool = False, *, margins: Margins | None = None) -> float:
    """Width of the text frame in points."""
    margins = margins or margins_for(landscape)
    return page_size(landscape)[0] - margins.left - margins.right


FRAME_PADDING = 6.0  # reportlab's default padding inside the page frame, each side


def frame_height(landscape: bool = False, *, margins: Margins | None = None) -> float:
    """The height a flowable has at the top of an empty page, in points."""
    margins = margins or margins_for(landscape)
    return page_size(landscape)[1] - margins.top - margins.bottom - 2 * FRAME_PADDING


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    subject: str = "",
    landscape: bool = False,
    page_numbers: bool = True,
    large_print: bool = False,
    margins: Margins | None = None,
) -> bytes:
    """Lay the story out on A4 pages and return the PDF bytes.

    Page numbers are centred in the top margin from page 2 on; page 1 has none (HD 36).
    `margins` replaces the HD 36 ones for a working paper that needs the page (the sign-in
    sheet); Party documents keep the default.
    """
    ensure_fonts()
    styles = make_styles(large_print)
    margins = margins or margins_for(landscape)
    width, height = page_size(landscape)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=margins.left,
        rightMargin=margins.right,
        topMargin=margins.top,
        bottomMargin=margins.bottom,
        title=clean(title),
        author=AUTHOR,
        creator=AUTHOR,
        subject=clean(subject),
        lang="vi",
    )

    def first_page(canvas: Canvas, _doc: object) -> None:
        return None

    def later_page(canvas: Canvas, _doc: object) -> None:
        if not page_numbers:
            return
        canvas.saveState()
        canvas.setFont(SERIF, styles.page_number_size)
        baseline = height - margins.top / 2 - styles.page_number_size / 3
        canvas.drawCentredString(
            margins.left + (width - margins.left - margins.right) / 2,
            baseline,
            str(canvas.getPageNumber()),
        )
        canvas.restoreState()

    _link_headings(story)
    doc.build(story, onFirstPage=first_page, onLaterPages=later_page)
    return buffer.getvalue()


# --- header, title, signatures ------------------------------------------------------------


def header_block(header: DocHeader, *, width: float) -> Flowable:
    """The two-column HD 36 header.

    Left: the upper body (14 pt capitals), the branch (14 pt bold capitals), "*", the number.
    Right: "ĐẢNG CỘNG SẢN VIỆT NAM" (15 pt bold, a rule of its length below), and on the
    number's line the italic place and date. The header keeps its official sizes in large
    print.
    """
    ensure_fonts()
    left_style = ParagraphStyle("h_left", fontName=SERIF, fontSize=14, leading=17, alignment=1)
    left_bold = ParagraphStyle("h_left_b", parent=left_style, fontName=SERIF_BOLD)
    party = ParagraphStyle("h_party", fontName=SERIF_BOLD, fontSize=15, leading=18, alignment=1)
    dated = ParagraphStyle("h_date", fontName=SERIF_ITALIC, fontSize=14, leading=17, alignment=1)

    date_text = vn_date_line(header.place, header.date)
    right_width = (
        max(
            stringWidth(PARTY_NAME, SERIF_BOLD, 15),
            min(stringWidth(date_text, SERIF_ITALIC, 14), width * 0.58),
        )
        + 8
    )
    left_width = width - right_width

    rows = [
        [
            Paragraph(esc_upper(header.committee), left_style),
            [
                Paragraph(PARTY_NAME, party),
                HRFlowable(
                    width=stringWidth(PARTY_NAME, SERIF_BOLD, 15),
                    thickness=0.8,
                    color=black,
                    spaceBefore=1,
                    spaceAfter=0,
                    hAlign="CENTER",
                ),
            ],
        ],
        [Paragraph(esc_upper(header.branch), left_bold), ""],
        [Paragraph("*", left_style), ""],
        [Paragraph(esc(number_line(header.number)), left_style), Paragraph(esc(date_text), dated)],
    ]
    table = Table(rows, colWidths=[left_width, right_width], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def title_block(
    styles: Styles, title: str, subtitle: str = "", *, lines: Sequence[str] = ()
) -> list[Flowable]:
    """The centred bold title in capitals ("\n" breaks the line), an optional bold
    subtitle, then italic lines."""
    title_markup = "<br/>".join(esc_upper(line) for line in title.split("\n") if clean(line))
    parts: list[Flowable] = [Paragraph(title_markup, styles.title)]
    if clean(subtitle):
        parts.append(Paragraph(esc(subtitle), styles.subtitle))
    parts.extend(Paragraph(esc(line), styles.italic_note) for line in lines if clean(line))
    parts.append(Spacer(1, styles.body_size * 0.6))
    return parts


class _RoomFor(CondPageBreak):
    """A page break unless `paragraph` (measured at the width it gets, so a heading that
    wraps counts every line) and `lines_after` lines of what follows fit. When another
    heading follows right after (`then`, linked by `build_pdf`), what has to fit is this
    heading and all that one needs: an item heading stays with the label under it and the
    label's first entry."""

    def __init__(self, paragraph: Paragraph, lines_after: int) -> None:
        style = paragraph.style
        self.paragraph = paragraph
        self.spacing = float(style.spaceBefore) + float(style.spaceAfter)
        self.extra = self.spacing + float(style.leading) * lines_after + 4
        self.then: _RoomFor | None = None
        super().__init__(float(style.leading) + self.extra)

    def needed(self, availWidth: float) -> float:
        _, height = self.paragraph.wrap(availWidth, 10_000)
        if self.then is None:
            return height + self.extra
        return height + self.spacing + self.then.needed(availWidth)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height = self.needed(availWidth)
        return super().wrap(availWidth, availHeight)


def _link_headings(story: Sequence[Flowable]) -> None:
    """Each heading directly followed by another heading keeps room for that one too."""
    for index, flowable in enumerate(story):
        if isinstance(flowable, _RoomFor):
            after = story[index + 2] if index + 2 < len(story) else None
            flowable.then = after if isinstance(after, _RoomFor) else None


def heading(markup: str, style: ParagraphStyle, *, lines_after: int = 2) -> list[Flowable]:
    """A heading or a label ("Ý kiến thảo luận:") that never ends a page: it moves to the
    next page unless it and `lines_after` lines of what follows fit. (keepWithNext would
    move the whole next paragraph, leaving a large gap at the foot of the page.)"""
    paragraph = Paragraph(markup, style)
    return [_RoomFor(paragraph, lines_after), paragraph]


def _signer_cell(
    styles: Styles,
    signer: Signer,
    width: float,
    *,
    sign_space: float | None = None,
    role_lines: int = 1,
) -> list[Flowable]:
    """The signer's roles, room to sign, the name. `role_lines` pads the roles to that many
    lines, so two signers' names stand on one line."""
    cell: list[Flowable] = []
    if clean(signer.on_behalf):
        cell.append(Paragraph(esc_upper(signer.on_behalf), styles.sign_role))
    elif role_lines > 1:
        cell.append(Paragraph("&nbsp;", styles.sign_role))
    cell.append(Paragraph(esc_upper(signer.role), styles.sign_role))
    default_space = 28 * mm if styles.large_print else 24 * mm
    cell.append(Spacer(1, default_space if sign_space is None else sign_space))
    cell.append(Paragraph(esc(signer.name), _one_line(styles.sign_name, clean(signer.name), width)))
    return cell


def _one_line(style: ParagraphStyle, text: str, width: float) -> ParagraphStyle:
    """`style`, a point smaller at a time (down to 12 pt) until `text` fits one line: a
    signer's name is never wrapped."""
    size = float(style.fontSize)
    font = str(style.fontName)
    while size > 12 and stringWidth(text, font, size) > width - 4:
        size -= 1
    if size == float(style.fontSize):
        return style
    return ParagraphStyle(
        f"{style.name}_{size:g}", parent=style, fontSize=size, leading=size * 1.25
    )


def _recipients_cell(styles: Styles, recipients: Sequence[str]) -> list[Flowable]:
    cell: list[Flowable] = [
        Paragraph("<u>Nơi nhận:</u>", styles.recipients_title),
    ]
    items = punctuated([esc(item) for item in recipients if clean(item)], between=",")
    cell.extend(Paragraph(f"- {item}", styles.recipients_item) for item in items)
    return cell


def signature_block(
    styles: Styles,
    *,
    width: float,
    left: Signer | None = None,
    right: Signer | None = None,
    recipients: Sequence[str] = (),
    sign_space: float | None = None,
) -> Flowable:
    """Two columns: left a signer or the "Nơi nhận:" list, right a signer.

    Minutes use left THƯ KÝ and right CHỦ TRÌ; letters use recipients on the left and
    right "T/M CHI BỘ" / "BÍ THƯ". Two signers' names stand on one line. `sign_space`
    (points) is the room to sign, when a paper must be tighter than the usual 24 mm.
    """
    left_width = width * 0.45
    signers = [x for x in (left, right) if x is not None]
    role_lines = 2 if any(clean(x.on_behalf) for x in signers) and len(signers) == 2 else 1
    left_cell: list[Flowable] | str = ""
    if left is not None:
        left_cell = _signer_cell(
            styles, left, left_width, sign_space=sign_space, role_lines=role_lines
        )
    elif recipients:
        left_cell = _recipients_cell(styles, recipients)
    right_cell: list[Flowable] | str = (
        _signer_cell(
            styles, right, width - left_width, sign_space=sign_space, role_lines=role_lines
        )
        if right is not None
        else ""
    )
    table = Table(
        [[left_cell, right_cell]],
        colWidths=[left_width, width - left_width],
        hAlign="CENTER",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class _KeepOnPage(KeepTogether):
    """KeepTogether measuring its content with the room left on the page, as the frame
    will lay it out. (reportlab's measures with an endless page, so a table's last rows
    that repeat the header row only when they open a page — `grid.TailTable` — were
    counted with that row and pushed a sheet that fits onto another page.)"""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        width, forced = super().wrap(aW, aH)
        height = 0.0
        before_next = 0.0
        for flowable in self._content:
            _, h = flowable.wrapOn(self.canv, aW, aH)
            if h <= 1e-6:
                continue
            if height > 0:  # space between flowables merges, as in reportlab's measure
                height += max(float(flowable.getSpaceBefore()) - before_next, 0.0)
            height += h
            before_next = float(flowable.getSpaceAfter())
            height += before_next
        self._H = min(float(getattr(self, "_H", height)), height - before_next)
        return width, forced


def keep_with_previous(story: list[Flowable], block: Flowable, *, count: int = 1) -> None:
    """Append `block` kept on one page with the last `count` flowables of the story, so a
    signature never lands alone at the top of a page."""
    count = min(count, len(story))
    tail = story[len(story) - count :] if count else []
    del story[len(story) - count :]
    story.append(_KeepOnPage([*tail, Spacer(1, 4 * mm), block]))
