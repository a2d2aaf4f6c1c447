"""Finding the header row of a member list and matching its columns to member fields.

Secretaries' lists put a title block above the header ("ĐẢNG BỘ ...", "DANH SÁCH ĐẢNG
VIÊN ..."), word the column names in many ways ("Họ và tên"/"Họ tên", "Số CCCD"/"Số định
danh cá nhân"), sometimes split a header over two rows ("Ngày, tháng, năm" over "Sinh",
"Vào Đảng", "Chính thức") and number the columns on the row below ("(1) (2) (3)").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.importers.cells import cell_text
from app.importers.sheet_reader import CellRange, SourceTable
from app.text import fold

# Fields a column can feed. Besides the member's own fields: the family and given name in
# two columns, birth dates under "Nam"/"Nữ" sub-columns, a tick column "Nữ", the row number.
FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ và tên",
    "family_name": "Họ và tên đệm",
    "given_name": "Tên",
    "birth_date": "Ngày sinh",
    "birth_date_male": "Ngày sinh (nam)",
    "birth_date_female": "Ngày sinh (nữ)",
    "gender": "Giới tính",
    "female_mark": "Nữ (đánh dấu)",
    "male_mark": "Nam (đánh dấu)",
    "admission_date": "Ngày vào Đảng",
    "admission_decision_date": "Ngày quyết định kết nạp",
    "official_date": "Ngày chính thức",
    "card_number": "Số thẻ đảng viên",
    "personal_id": "Số định danh cá nhân",
    "phone": "Số điện thoại",
    "branch_label": "Chi bộ",
    "status": "Trạng thái",
    "position": "Chức vụ",
    "address": "Địa chỉ",
    "notes": "Ghi chú",
    "has_smartphone": "Có điện thoại thông minh",
    "app_account": "Tài khoản Sổ tay đảng viên",
    "needs_support": "Cần hỗ trợ",
    "serious_illness": "Bệnh hiểm nghèo",
    "death_date": "Ngày từ trần",
    "left_date": "Ngày chuyển đi / xóa tên",
    "left_to": "Nơi chuyển đến",
    "row_number": "Số thứ tự",
}
IGNORE = "-"
NAME_FIELDS = ("full_name", "given_name")

# Ordered rules on the folded header text (lower case, no marks, punctuation as spaces).
# The first rule that matches wins, so specific wordings come before general ones.
_RULES: list[tuple[str | None, re.Pattern[str]]] = [
    (
        None,
        re.compile(
            r"noi sinh\b(?! hoat)|que quan|dan toc|ton giao|trinh do|nghe nghiep|tuoi|chu ky|ky ten|ky nhan"
        ),
    ),
    ("row_number", re.compile(r"^(stt|tt|so tt|so thu tu|thu tu)$")),
    ("serious_illness", re.compile(r"hiem ngheo")),
    ("death_date", re.compile(r"tu tran|qua doi|ngay mat\b")),
    # A member who left: "Nơi chuyển đến" / "Chuyển đến" / "Nơi chuyển" (before "chi bộ",
    # which the wording may name), "Ngày chuyển đi / xóa tên" / "Ngày chuyển" / "Ngày xóa tên"
    # ("Ngày chuyển đến" is the day a member arrived: not this).
    ("left_to", re.compile(r"^(noi )?chuyen den\b|^noi chuyen\b|^noi den\b")),
    ("left_date", re.compile(r"^(ngay|thoi gian) (chuyen|xoa ten)\b(?! den)|chuyen di|xoa ten")),
    ("birth_date_male", re.compile(r"sinh nam$")),
    ("birth_date_female", re.compile(r"sinh nu$")),
    ("has_smartphone", re.compile(r"smart ?phone|thong minh")),
    ("needs_support", re.compile(r"ho tro")),
    ("app_account", re.compile(r"tai khoan|so tay dang vien|ung dung|\bapp\b")),
    ("personal_id", re.compile(r"cccd|can cuoc|dinh danh|cmnd|chung minh|\bcmt\b")),
    ("card_number", re.compile(r"\bthe dang\b|\bso the\b|\bthe dv\b")),
    ("phone", re.compile(r"dien thoai|\bsdt\b|\bdt\b|di dong|\bphone\b|lien lac")),
    ("branch_label", re.compile(r"chi bo|noi sinh hoat|don vi sinh hoat")),
    ("status", re.compile(r"trang thai|tinh trang|loai dang vien|\bdien\b|doi tuong")),
    # "Ngày quyết định kết nạp" / "Ngày QĐ KN"; a column of decision numbers is not a date.
    ("admission_decision_date", re.compile(r"^(ngay )?(quyet dinh|qd) (ket nap|kn)\b")),
    ("official_date", re.compile(r"chinh thuc|cong nhan")),
    ("admission_date", re.compile(r"vao dang|ket nap|\bvao\b")),
    ("position", re.compile(r"chuc vu|chuc danh")),
    ("address", re.compile(r"dia chi|noi o|cho o|thuong tru|cu tru|tam tru")),
    ("notes", re.compile(r"ghi chu")),
    ("female_mark", re.compile(r"gioi tinh nu$")),
    ("male_mark", re.compile(r"gioi tinh nam$")),
    ("gender", re.compile(r"gioi tinh|\bgioi\b|\bphai\b|^nam nu$|^nu nam$")),
    ("female_mark", re.compile(r"^nu$")),
    ("birth_date", re.compile(r"ngay sinh|nam sinh|sinh ngay|\bsinh\b")),
    ("family_name", re.compile(r"^ho( va)? (ten )?dem$|^ho$|^ho va$")),
    ("given_name", re.compile(r"^ten$")),
    ("full_name", re.compile(r"ho va ten|ho ten|ten dang vien|^ho\b.*\bten\b|^ten\b")),
]
_NUMBERING = re.compile(r"^\(?\s*\d{1,2}\s*\)?$|^\(?[a-z]\)?$")
_PUNCT = re.compile(r"[^\w]+")


def header_key(text: str) -> str:
    """A header folded for matching: 'Số CMND/CCCD' → 'so cmnd cccd'."""
    return _PUNCT.sub(" ", fold(text)).strip()


def field_for_header(text: str) -> str | None:
    key = header_key(text)
    if not key:
        return None
    for name, pattern in _RULES:
        if pattern.search(key):
            return name
    return None


def column_letter(index: int) -> str:
    """0-based column index → 'A', 'B', ..., 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    letter: str
    title: str
    field: str | None  # None: not used
    guessed: bool = True  # False when the user set it

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, "") if self.field else "(không dùng)"


@dataclass(frozen=True)
class Header:
    row: int  # sheet row number of the (first) header row
    last_row: int  # the last row belonging to the header (sub-header, numbering row)
    columns: tuple[Column, ...]
    notes: tuple[str, ...] = ()

    def field_columns(self) -> dict[str, int]:
        return {c.field: c.index for c in self.columns if c.field and c.field != "row_number"}


def _titles(values: Sequence[Any]) -> list[str]:
    return [cell_text(v) for v in values]


def _merge_parent(merged: Sequence[CellRange], row: int, col: int) -> CellRange | None:
    for rng in merged:
        if rng.contains(row, col) and (rng.min_row, rng.min_col) != (row, col):
            return rng
    return None


def _looks_like_data(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return len(digits) >= 6 or bool(re.search(r"\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}", text))


def _is_numbering_row(values: Sequence[Any]) -> bool:
    texts = [t for t in _titles(values) if t]
    return len(texts) >= 3 and all(_NUMBERING.match(fold(t)) for t in texts)


def _combine(
    table: SourceTable,
    first: tuple[int, tuple[Any, ...]],
    second: tuple[int, tuple[Any, ...]] | None,
) -> list[str]:
    """Column titles from one header row, or two (a group title over its sub-columns)."""
    number, values = first
    top = _titles(values)
    # A group title merged across columns is filled into each of them.
    for col in range(len(top)):
        if not top[col]:
            rng = _merge_parent(table.merged, number, col + 1)
            if rng is not None and rng.min_row == number:
                top[col] = top[rng.min_col - 1]
    if second is None:
        return top
    sub = _titles(second[1])
    combined: list[str] = []
    last_group = ""
    for col in range(max(len(top), len(sub))):
        t = top[col] if col < len(top) else ""
        s = sub[col] if col < len(sub) else ""
        if t and s:
            last_group = t
            combined.append(f"{t} {s}" if t != s else t)
        elif s:
            # No title above: part of the group started to the left (unmerged CSV layout).
            combined.append(f"{last_group} {s}".strip())
        else:
            last_group = t if t else last_group
            combined.append(t)
    return combined


def _score(titles: Sequence[str]) -> tuple[int, list[str | None]]:
    fields = [field_for_header(t) for t in titles]
    found = {f for f in fields if f and f != "row_number"}
    has_name = bool(found & {"full_name", "given_name"})
    # Without a name column a row needs four recognised titles to count as the header
    # (the user then picks the name column); a data row rarely looks like that.
    return (len(found) + 2) if has_name else len(found) - 1, fields


def _is_sub_header(values: Sequence[Any], name_col: int | None) -> bool:
    texts = [t for t in _titles(values) if t]
    if len(texts) < 2 or any(_looks_like_data(t) for t in texts):
        return False
    if name_col is not None and name_col < len(values) and cell_text(values[name_col]):
        return False
    return any(field_for_header(t) for t in texts) or all(len(t) <= 20 for t in texts)


def find_header(table: SourceTable, *, header_row: int | None = None) -> Header | None:
    """The best header among the first rows, or the row the user named; None if none fits."""
    rows = table.rows
    candidates = range(min(len(rows), 40))
    if header_row is not None:
        candidates = range(len(rows))
    best: tuple[int, int, list[str], int] | None = None  # (score, position, titles, last)
    for pos in candidates:
        number = rows[pos][0]
        if header_row is not None and number != header_row:
            continue
        single = _combine(table, rows[pos], None)
        score, fields = _score(single)
        titles, last = single, pos
        if pos + 1 < len(rows):
            name_col = next((i for i, f in enumerate(fields) if f in NAME_FIELDS), None)
            nxt = rows[pos + 1]
            top_cells = sum(1 for v in rows[pos][1] if cell_text(v))
            if top_cells >= 2 and nxt[0] == number + 1 and _is_sub_header(nxt[1], name_col):
                double = _combine(table, rows[pos], nxt)
                score2, _ = _score(double)
                if score2 > score:
                    score, titles, last = score2, double, pos + 1
        if best is None or score > best[0]:
            best = (score, pos, titles, last)
    if best is None or (header_row is None and best[0] < 3):
        return None
    score, pos, titles, last = best
    if last + 1 < len(rows) and _is_numbering_row(rows[last + 1][1]):
        last += 1
    notes: list[str] = []
    columns: list[Column] = []
    used: dict[str, str] = {}
    for index, title in enumerate(titles):
        field = field_for_header(title) if title else None
        if field and field in used and field != "row_number":
            notes.append(
                f"Cột {column_letter(index)} (“{title}”) cũng giống cột “{used[field]}”; "
                "chỉ dùng cột đầu tiên."
            )
            field = None
        if field:
            used[field] = title
        columns.append(Column(index, column_letter(index), title, field))
    return Header(rows[pos][0], rows[last][0], tuple(columns), tuple(notes))


def _resolve_target(name: str) -> str | None:
    """A field named by its code ('phone') or Vietnamese label ('Số điện thoại'); '-' ignores."""
    key = name.strip()
    if key in ("-", "", "bo qua", "bỏ qua", "none"):
        return IGNORE
    if key in FIELD_LABELS:
        return key
    folded = header_key(key)
    for code, label in FIELD_LABELS.items():
        if header_key(label) == folded or code == folded.replace(" ", "_"):
            return code
    return field_for_header(key)


def apply_mapping(header: Header, mapping: Mapping[str, str]) -> Header:
    """The user's corrections: keys are a column letter ('E'), a 1-based number ('5') or the
    column's title; values a field code or label, or '-' to leave the column out."""
    from app.errors import ValidationError

    by_index = {c.index: c for c in header.columns}
    for source, target in mapping.items():
        src = source.strip()
        index: int | None = None
        if re.fullmatch(r"[A-Za-z]{1,3}", src) and not any(
            header_key(c.title) == header_key(src) for c in header.columns
        ):
            letters = src.upper()
            index = 0
            for ch in letters:
                index = index * 26 + (ord(ch) - 64)
            index -= 1
        elif src.isdigit():
            index = int(src) - 1
        else:
            for column in header.columns:
                if header_key(column.title) == header_key(src):
                    index = column.index
                    break
        if index is None or index < 0:
            raise ValidationError(
                f"Không có cột “{source}” trong dòng tiêu đề của tệp.", field="mapping"
            )
        field = _resolve_target(target)
        if field is None:
            raise ValidationError(
                f"Không hiểu trường “{target}”; dùng một trong: "
                + ", ".join(k for k in FIELD_LABELS)
                + " (hoặc “-” để bỏ qua cột).",
                field="mapping",
            )
        chosen = None if field == IGNORE else field
        if chosen is not None:
            for other in list(by_index.values()):
                if other.field == chosen and other.index != index:
                    by_index[other.index] = Column(
                        other.index, other.letter, other.title, None, guessed=False
                    )
        title = by_index[index].title if index in by_index else ""
        by_index[index] = Column(index, column_letter(index), title, chosen, guessed=False)
    columns = tuple(by_index[i] for i in sorted(by_index))
    return Header(header.row, header.last_row, columns, header.notes)


def missing_name_message(header: Header) -> str | None:
    fields = {c.field for c in header.columns}
    if fields & {"full_name", "given_name"}:
        return None
    return (
        "Không xác định được cột “Họ và tên”. Hãy chọn cột chứa họ tên đảng viên trong bảng "
        "ghép cột (hoặc dùng --map, ví dụ --map B=full_name)."
    )
