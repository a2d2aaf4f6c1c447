"""OpenDocument text (.odt) and Rich Text (.rtf) files for the tests, built as the formats
require (no LibreOffice on the test machines).

An .odt is an ODF 1.2 package (ODF 1.2 part 3, 3.3): the "mimetype" member first, stored
uncompressed and without extra field, then META-INF/manifest.xml listing every part, and
content.xml, styles.xml, meta.xml deflated, laid out the way LibreOffice Writer saves them
(automatic styles, sequence declarations, soft page breaks, spans, text:s for runs of spaces).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

ODT_MIME = "application/vnd.oasis.opendocument.text"
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def inline(text: str) -> str:
    """Text as Writer stores it: a run of n>1 spaces is one space and <text:s text:c=n-1/>,
    a tab is <text:tab/>."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            j = i
            while j < len(text) and text[j] == " ":
                j += 1
            run = j - i
            out.append(" " if run == 1 else f' <text:s text:c="{run - 1}"/>')
            i = j
            continue
        out.append("<text:tab/>" if ch == "\t" else escape(ch))
        i += 1
    return "".join(out)


def p(text: str, style: str = "P1") -> str:
    return f'<text:p text:style-name="{style}">{inline(text)}</text:p>'


def h(text: str, level: int = 1) -> str:
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">' + (
        f"{inline(text)}</text:h>"
    )


def cell(lines: Sequence[str]) -> str:
    body = "".join(p(line, "Table_20_Contents") for line in lines) or "<text:p/>"
    return f'<table:table-cell table:style-name="Bang1.A1" office:value-type="string">{body}' + (
        "</table:table-cell>"
    )


def table(rows: Sequence[Sequence[Sequence[str]]], name: str = "Bang1") -> str:
    columns = max(len(r) for r in rows)
    body = "".join(
        "<table:table-row>" + "".join(cell(c) for c in r) + "</table:table-row>" for r in rows
    )
    return (
        f'<table:table table:name="{name}" table:style-name="{name}">'
        f'<table:table-column table:style-name="{name}.A" table:number-columns-repeated="{columns}"/>'
        f"{body}</table:table>"
    )


def bullet_list(items: Sequence[str]) -> str:
    return (
        '<text:list text:style-name="L1">'
        + "".join(f"<text:list-item>{p(item, 'P2')}</text:list-item>" for item in items)
        + "</text:list>"
    )


def content_xml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {_NS} office:version="1.2">'
        "<office:scripts/>"
        '<office:font-face-decls><style:font-face style:name="Times New Roman" '
        'svg:font-family="&apos;Times New Roman&apos;"/></office:font-face-decls>'
        '<office:automatic-styles><style:style style:name="P1" style:family="paragraph">'
        '<style:text-properties fo:font-size="14pt"/></style:style></office:automatic-styles>'
        "<office:body><office:text>"
        '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" '
        'text:name="Table"/></text:sequence-decls>'
        f"{body}</office:text></office:body></office:document-content>"
    )


@dataclass
class Package:
    """The parts of an .odt; `extra` adds or replaces members (name → bytes)."""

    content: str
    mimetype: str = ODT_MIME
    encrypted: bool = False
    extra: dict[str, bytes] = field(default_factory=dict)


def make_odt(body: str | Package) -> bytes:
    package = body if isinstance(body, Package) else Package(content_xml(body))
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
        'manifest:initialisation-vector="x"/></manifest:encryption-data>'
        if package.encrypted
        else ""
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{package.mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{encryption}</manifest:file-entry>"
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_NS} '
        'office:version="1.2"><office:styles/></office:document-styles>'
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_NS} '
        'office:version="1.2"><office:meta><meta:generator>sotay-tests</meta:generator>'
        "</office:meta></office:document-meta>"
    )
    parts = {
        "content.xml": package.content.encode("utf-8"),
        "styles.xml": styles.encode("utf-8"),
        "meta.xml": meta.encode("utf-8"),
        "META-INF/manifest.xml": manifest.encode("utf-8"),
        **package.extra,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), package.mimetype.encode("ascii"))  # stored
        for name, data in parts.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def header_odt(text: str) -> bytes:
    """A published header (tests/data/headers/*.txt: blocks of issuer, national motto, number,
    place and date, then the rest) as Writer lays it out: a two-column table, issuer and
    number on the left, motto and date on the right; the document type as a heading."""
    blocks = text.split("\n\n")
    issuer, motto, number, date, *rest = blocks
    body = [table([[issuer.split("\n"), motto.split("\n")], [[number], [date]]])]
    heading_done = False
    for block in rest:
        body.append(p(""))  # the empty paragraph between blocks
        for line in block.split("\n"):
            if not heading_done and line.strip():
                body.append(h(line.strip()))
                heading_done = True
            else:
                body.append(p(line))
    return make_odt("".join(body))


def rtf_escape(text: str) -> str:
    """Text as Word writes it in RTF: ASCII as is, anything else as \\uN followed by a '?'
    fallback (\\uc1)."""
    out: list[str] = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\u{code if code < 32768 else code - 65536}\\'3f")
    return "".join(out)


def make_rtf(
    paragraphs: Sequence[str], *, header_table: tuple[Sequence[str], Sequence[str]] | None = None
) -> bytes:
    """An RTF document laid out as Word saves one: font and colour tables, document info, an
    optional one-row header table (left and right cell lines), then paragraphs."""
    head = (
        "{\\rtf1\\adeflang1025\\ansi\\ansicpg1252\\uc1\\adeff0\\deff0\\stshfdbch0\\deflang1033"
        "{\\fonttbl{\\f0\\froman\\fcharset0\\fprq2 Times New Roman;}"
        "{\\f1\\fswiss\\fcharset163\\fprq2 Arial;}}\n"
        "{\\colortbl;\\red0\\green0\\blue0;}\n"
        "{\\*\\generator Microsoft Word 16.0;}{\\info{\\title Van ban}{\\author Chi bo}}\n"
        "\\paperw11906\\paperh16838\\margl1701\\margr1134\n"
    )
    body: list[str] = []
    if header_table is not None:
        left, right = header_table
        body.append("\\trowd\\trgaph108\\cellx4500\\cellx9500\n")
        for lines in (left, right):
            body.append(
                "\\pard\\intbl\\qc "
                + "\\par ".join(f"{{\\b\\f0\\fs26 {rtf_escape(line)}}}" for line in lines)
                + "\\cell\n"
            )
        body.append("\\row\\pard\n")
    for text in paragraphs:
        body.append(f"\\pard\\plain\\f0\\fs28 {rtf_escape(text)}\\par\n")
    return (head + "".join(body) + "}").encode("ascii")
