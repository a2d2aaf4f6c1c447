"""The printed recovery key: one A4 page the secretary keeps locked away.

Printed by the first-start wizard ("In mã khôi phục"). The key is set in large bold sans
capitals, in the groups it was given in, so it can be typed back from the paper.
"""

from __future__ import annotations

import re
from datetime import date

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.text import clean
from reports.fonts import SANS_BOLD, ensure_fonts
from reports.layout import build_pdf, esc, esc_upper, frame_width, heading, make_styles, title_block
from reports.vn_format import vn_short_date

TITLE = "MÃ KHÔI PHỤC SỔ TAY CHI BỘ"
GROUP_SIZE = 4  # a key given without separators is cut into groups of this many characters
GROUPS_PER_LINE = 4
_SEPARATORS = re.compile(r"[\s\-]+")
# The alphabet of keys made by app.storage.keys: no O, I, 0 or 1, which are easily misread.
_READABLE_ALPHABET = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def key_groups(recovery_key: str) -> list[str]:
    """The key as printed: its own groups (split on '-' and spaces), or groups of 4."""
    text = clean(recovery_key)
    groups = [g for g in _SEPARATORS.split(text) if g]
    if len(groups) == 1 and len(groups[0]) > GROUP_SIZE * 2:
        word = groups[0]
        groups = [word[i : i + GROUP_SIZE] for i in range(0, len(word), GROUP_SIZE)]
    return groups


def _key_table(groups: list[str], width: float) -> Table:
    size = 22.0 if max((len(g) for g in groups), default=0) <= 6 else 16.0
    style = ParagraphStyle(
        "key", fontName=SANS_BOLD, fontSize=size, leading=size * 1.3, alignment=TA_CENTER
    )
    line_count = max(1, -(-len(groups) // GROUPS_PER_LINE))
    per_line = max(1, -(-len(groups) // line_count))  # 8 groups: 2 lines of 4; 6: 2 of 3
    lines = [groups[i : i + per_line] for i in range(0, len(groups), per_line)] or [[""]]
    rows: list[list[Paragraph | str]] = []
    for line in lines:
        cells: list[Paragraph | str] = [Paragraph(esc(group), style) for group in line]
        cells += [""] * (per_line - len(line))
        rows.append(cells)
    inner = width - 12 * mm
    table = Table(rows, colWidths=[inner / per_line] * per_line, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _alphabet_note(recovery_key: str, style: ParagraphStyle) -> list[Flowable]:
    letters = "".join(key_groups(recovery_key))
    if not letters or any(ch not in _READABLE_ALPHABET for ch in letters):
        return []
    return [
        Paragraph(
            "Mã chỉ gồm chữ in hoa và các chữ số từ 2 đến 9; không có chữ O, chữ I, số 0 và số 1.",
            style,
        )
    ]


def recovery_key_story(
    *, branch_name: str, committee: str, recovery_key: str, book_id: str, created: date
) -> list[Flowable]:
    ensure_fonts()
    styles = make_styles()
    width = frame_width()
    story: list[Flowable] = [
        Paragraph(esc_upper(committee), styles.centered),
        Paragraph(f"<b>{esc_upper(branch_name)}</b>", styles.centered),
        *title_block(styles, TITLE, lines=[f"Ngày tạo: {vn_short_date(created)}"]),
        Paragraph(
            "Mã khôi phục dùng để mở lại Sổ tay Chi bộ khi quên mật khẩu. "
            "Mã khôi phục của sổ tay này là:",
            styles.body,
        ),
        Spacer(1, 3 * mm),
        _key_table(key_groups(recovery_key), width),
        Spacer(1, 3 * mm),
        *_alphabet_note(recovery_key, styles.italic_note),
        Paragraph(f"Mã sổ tay: <b>{esc(book_id)}</b>", styles.centered),
        Spacer(1, 6 * mm),
        *heading("Cất giữ mã như thế nào", styles.heading),
        Paragraph(
            "- Cất tờ giấy này trong ngăn tủ có khóa, tách riêng với máy tính có cài "
            "Sổ tay Chi bộ.",
            styles.body_flush,
        ),
        Paragraph(
            "- <b>Bất kỳ ai có mã này đều mở được sổ tay</b> và xem được toàn bộ dữ liệu "
            "của chi bộ. Không chụp ảnh, không gửi mã qua điện thoại, thư điện tử hay "
            "mạng xã hội, không lưu mã trong máy tính.",
            styles.body_flush,
        ),
        Paragraph(
            "- Khi bàn giao công việc của chi bộ, bàn giao cả tờ giấy này cho người tiếp nhận.",
            styles.body_flush,
        ),
        *heading("Cách dùng mã", styles.heading),
        Paragraph(
            "Khi quên mật khẩu: mở Sổ tay Chi bộ, chọn <b>Quên mật khẩu → Dùng mã khôi "
            "phục</b>, gõ mã in ở trên (gồm các nhóm ký tự theo đúng thứ tự), rồi đặt "
            "mật khẩu mới.",
            styles.body,
        ),
        Spacer(1, 10 * mm),
        Paragraph(
            "Người cất giữ (ký, ghi rõ họ tên): ....................................",
            styles.body_flush,
        ),
        Paragraph(
            "Nơi cất giữ: ..........................................................",
            styles.body_flush,
        ),
    ]
    return story


def recovery_key_pdf(
    *, branch_name: str, committee: str, recovery_key: str, book_id: str, created: date
) -> bytes:
    """The recovery-key sheet as PDF bytes (one A4 page)."""
    return build_pdf(
        recovery_key_story(
            branch_name=branch_name,
            committee=committee,
            recovery_key=recovery_key,
            book_id=book_id,
            created=created,
        ),
        title=TITLE,
        subject=clean(branch_name),
        page_numbers=False,
    )
