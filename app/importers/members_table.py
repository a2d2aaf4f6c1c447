"""Importing the member list secretaries already keep in Excel (or CSV).

    loaded = load(path)                      # read once; finds the sheet and header row
    report = preview(book, loaded, mapping)  # dry run: each row new/updated/unchanged/...
    report = apply(book, loaded, mapping)    # the valid rows, in ONE transaction

A member is matched by số định danh, else by số thẻ đảng viên, else (when the row carries
neither) by name and birth date, so importing the same file twice changes nothing. A row
repeated in the file is reported once. Empty cells never erase what the register holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.importers import cells
from app.importers.columns import (
    FIELD_LABELS as COLUMN_FIELD_LABELS,
)
from app.importers.columns import (
    Column,
    Header,
    apply_mapping,
    column_letter,
    find_header,
    missing_name_message,
)
from app.importers.sheet_reader import ImportFileError, SourceTable, read_table
from app.models import Member
from app.models.member import ACCOUNT_STATES, MEMBER_STATUSES
from app.services import changes
from app.services import members as member_service
from app.services.members import FIELD_LABELS, INPUT_FIELDS, MemberInput
from app.text import fold
from app.validation import check_member
from app.validation.dates import probation_end
from app.vocab import Entity, MemberStatus

if TYPE_CHECKING:
    from app.book import Book

Progress = Callable[[int, int], None]
_BATCH = 100  # rows written per executemany (and per progress report)

OUTCOMES = ("new", "updated", "unchanged", "warning", "error")
OUTCOME_LABELS = {
    "new": "Thêm mới",
    "updated": "Cập nhật",
    "unchanged": "Không đổi",
    "warning": "Có cảnh báo",
    "error": "Lỗi",
}
_HEADING = re.compile(
    r"^(?:[ivxlc]+|\d{1,2}|[a-z])\s*[.):\-]|:$|\b(dang vien|danh sach|tong so|tong cong|"
    r"to dan pho|to \d+|khu pho|chi bo|dang bo|nguoi lap|bi thu)\b|t/m"
)


@dataclass(frozen=True)
class RowResult:
    row: int  # the row number in the sheet, as Excel shows it
    outcome: str  # new | updated | unchanged | warning | error
    action: str  # create | update | none
    full_name: str
    member_id: str | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    repairs: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()

    @property
    def messages(self) -> tuple[str, ...]:
        return self.errors + self.warnings

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "outcome": self.outcome,
            "action": self.action,
            "full_name": self.full_name,
            "member_id": self.member_id,
            "messages": list(self.messages),
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "repairs": list(self.repairs),
            "changes": list(self.changes),
        }


@dataclass(frozen=True)
class ImportReport:
    file: str
    sheet: str
    sheet_names: tuple[str, ...]
    header_row: int
    columns: tuple[Column, ...]
    rows: tuple[RowResult, ...]
    notes: tuple[str, ...]
    dry_run: bool
    applied: bool = False

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            out[row.outcome] += 1
        return out

    @property
    def to_write(self) -> int:
        return sum(1 for r in self.rows if r.action != "none")

    def summary(self) -> str:
        c = self.counts()
        verb = "Sẽ" if self.dry_run else "Đã"
        created = sum(1 for r in self.rows if r.action == "create")
        updated = sum(1 for r in self.rows if r.action == "update")
        text = (
            f"{verb} thêm {created} và cập nhật {updated} đảng viên; {c['unchanged']} không đổi; "
            f"{c['warning']} dòng có cảnh báo; {c['error']} dòng lỗi"
        )
        if c["error"]:
            text += " (không nhập)"
        return text + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "counts": self.counts(),
            "summary": self.summary(),
            "columns": [
                {"column": c.letter, "title": c.title, "field": c.field} for c in self.columns
            ],
            "notes": list(self.notes),
            "rows": [r.to_json() for r in self.rows],
        }


@dataclass
class LoadedFile:
    """A file read once; preview and apply reuse it under different column mappings."""

    table: SourceTable
    header: Header
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.table.path.name

    def columns(self, mapping: Mapping[str, str] | None = None) -> tuple[Column, ...]:
        return _mapped_header(self, mapping).columns


# -- reading -------------------------------------------------------------------------------


def _choose_sheet(samples: list[tuple[str, list[tuple[int, tuple[Any, ...]]]]]) -> str:
    best_name, best_score = samples[0][0], -1
    for name, rows in samples:
        probe = SourceTable(
            Path(name), "xlsx", name, (), rows, max((len(v) for _, v in rows), default=0)
        )
        header = find_header(probe)
        score = 0 if header is None else sum(1 for c in header.columns if c.field) + 1
        if score > best_score:
            best_name, best_score = name, score
    return best_name


def load(
    path: Path | str,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
) -> LoadedFile:
    """Read the file and find its header; a clear Vietnamese error if it is not a member list."""
    table = read_table(Path(path), sheet=sheet, choose_sheet=_choose_sheet, progress=progress)
    where = f"trang tính “{table.sheet}”" if table.kind == "xlsx" else "tệp"
    if not table.rows:
        raise ImportFileError(
            f"Không có dữ liệu: {where} của tệp “{table.path.name}” trống."
            + (
                f" Tệp có các trang: {', '.join(table.sheet_names)}."
                if len(table.sheet_names) > 1
                else ""
            )
        )
    header = find_header(table, header_row=header_row)
    if header is None:
        if header_row is not None:
            raise ImportFileError(f"Dòng {header_row} trống hoặc không có trong {where}.")
        raise ImportFileError(
            f"Không tìm thấy dòng tiêu đề cột (như “Họ và tên”, “Ngày sinh”, “Số thẻ đảng "
            f"viên”) trong 40 dòng đầu của {where}. Hãy kiểm tra tệp có đúng là danh sách "
            "đảng viên, hoặc chỉ rõ dòng tiêu đề."
        )
    notes = list(table.notes)
    if table.kind == "xlsx" and len(table.sheet_names) > 1:
        notes.append(f"Tệp có {len(table.sheet_names)} trang tính; đọc trang “{table.sheet}”.")
    notes.extend(header.notes)
    if table.formula_count:
        missing = len(table.formula_no_value)
        if missing:
            notes.append(
                f"Tệp có {missing} ô công thức chưa có giá trị tính sẵn (tệp chưa được mở và "
                "lưu bằng Excel); các ô đó không đọc được. Hãy mở tệp bằng Excel, lưu lại rồi "
                "nhập."
            )
        else:
            notes.append(
                f"Tệp có {table.formula_count} ô công thức; đã dùng giá trị Excel tính sẵn."
            )
    return LoadedFile(table, header, notes)


def _mapped_header(loaded: LoadedFile, mapping: Mapping[str, str] | None) -> Header:
    return apply_mapping(loaded.header, mapping) if mapping else loaded.header


# -- one row -----------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    present: dict[str, Any] = field(default_factory=dict)  # field → value read from the file
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    name_text: str = ""
    date_columns: frozenset[str] = frozenset()  # admission_date / official_date in the file


def _merged_fill(table: SourceTable, first_data_row: int) -> dict[tuple[int, int], Any]:
    """Covered cells of merged ranges in the data area → the range's value (fill down)."""
    if not table.merged:
        return {}
    by_number = {n: v for n, v in table.rows}
    fill: dict[tuple[int, int], Any] = {}
    for rng in table.merged:
        if rng.max_row < first_data_row:
            continue
        top = by_number.get(rng.min_row, ())
        value = top[rng.min_col - 1] if rng.min_col - 1 < len(top) else None
        if rng.max_col > rng.min_col:  # horizontal: a heading across the row, not a value
            continue
        for r in range(max(rng.min_row, first_data_row), rng.max_row + 1):
            if (r, rng.min_col) != (rng.min_row, rng.min_col):
                fill[(r, rng.min_col - 1)] = value
    return fill


def _looks_like_value(value: Any) -> bool:
    """A number, a date, or text with several digits: member data rather than a footer."""
    if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
        return True
    return sum(ch.isdigit() for ch in cells.cell_text(value)) >= 4


def _filled_count(values: tuple[Any, ...], columns: dict[str, int]) -> int:
    """How many mapped cells (the row number aside) hold something."""
    used = {i for n, i in columns.items() if n != "row_number"}
    return sum(1 for i in used if i < len(values) and cells.cell_text(values[i]))


def _parse_row(
    number: int,
    values: tuple[Any, ...],
    columns: dict[str, int],
    table: SourceTable,
    today: dt.date,
) -> _Row | str:
    """Parse a data row; returns a note (str) when the row is not a member row."""
    row = _Row(number)

    def cell(name: str) -> Any:
        index = columns.get(name)
        if index is None or index >= len(values):
            return None
        if (number, index + 1) in table.formula_no_value:
            row.errors.append(
                f"Ô {column_letter(index)}{number} ({COLUMN_FIELD_LABELS.get(name, name)}) là "
                "công thức chưa có giá trị tính sẵn; hãy mở tệp bằng Excel, lưu lại rồi nhập."
            )
            return None
        return values[index]

    def take(name: str, parsed: cells.Parsed[Any]) -> None:
        if parsed.error:
            row.errors.append(parsed.error)
        if parsed.warning:
            row.warnings.append(parsed.warning)
        if parsed.repaired:
            row.repairs.append(parsed.repaired)
        if parsed.value is not None:
            row.present[name] = parsed.value

    legacy = table.legacy_rows.get(number)
    if legacy is not None:
        row.repairs.append(
            f"Chuyển từ bảng mã {legacy[0]} sang Unicode ({legacy[1]} ô); hãy kiểm tra lại."
        )

    # The name, from one column or from "Họ và tên đệm" + "Tên".
    if "full_name" in columns:
        written = cells.cell_text(cell("full_name"))
        take("full_name", cells.parse_name(cell("full_name")))
    else:
        parts = [cells.cell_text(cell(n)) for n in ("family_name", "given_name")]
        written = " ".join(p for p in parts if p)
        if written:
            take("full_name", cells.parse_name(written))
    row.name_text = str(row.present.get("full_name", ""))
    if (
        not row.name_text
        and written
        and _HEADING.search(fold(written))
        and _filled_count(values, columns) == 1
    ):
        return f"Bỏ qua dòng {number} (“{written[:60]}”): dòng tiêu đề nhóm, không phải đảng viên."

    if not row.name_text and not row.errors:
        all_text = [cells.cell_text(v) for v in values if cells.cell_text(v)]
        identity = any(
            _looks_like_value(cell(n))
            for n in ("personal_id", "card_number", "birth_date", "admission_date")
        )
        if not identity and len(all_text) <= 2:
            return f"Bỏ qua dòng {number} (“{' '.join(all_text)[:60]}”): không phải dòng đảng viên."
        row.errors.append("Thiếu họ và tên.")
    elif (
        row.name_text
        and _HEADING.search(fold(row.name_text))
        and _filled_count(values, columns) == 1
    ):
        return f"Bỏ qua dòng {number} (“{row.name_text[:60]}”): dòng tiêu đề nhóm, không phải đảng viên."

    epoch = table.epoch
    for name in (
        "birth_date",
        "admission_date",
        "admission_decision_date",
        "official_date",
        "death_date",
        "left_date",
    ):
        if name in columns:
            take(
                name,
                cells.parse_date(cell(name), label=FIELD_LABELS[name], epoch=epoch, today=today),
            )
    male_birth = cell("birth_date_male") if "birth_date_male" in columns else None
    female_birth = cell("birth_date_female") if "birth_date_female" in columns else None
    if not cells.is_blank(male_birth) and not cells.is_blank(female_birth):
        row.errors.append("Có năm sinh ở cả cột Nam và cột Nữ; chỉ được ghi ở một cột.")
    elif not cells.is_blank(male_birth) or not cells.is_blank(female_birth):
        raw = male_birth if not cells.is_blank(male_birth) else female_birth
        take("birth_date", cells.parse_date(raw, label="Ngày sinh", epoch=epoch, today=today))
        row.present.setdefault("gender", "nam" if not cells.is_blank(male_birth) else "nữ")
    if "gender" in columns:
        take("gender", cells.parse_gender(cell("gender")))
    elif "female_mark" in columns or "male_mark" in columns:
        if "female_mark" in columns and cells.parse_mark(cell("female_mark")):
            row.present["gender"] = "nữ"
        elif "male_mark" in columns and cells.parse_mark(cell("male_mark")):
            row.present["gender"] = "nam"
        elif "male_mark" not in columns:
            row.present.setdefault("gender", "nam")
    if "personal_id" in columns:
        take("personal_id", cells.parse_personal_id(cell("personal_id")))
    if "card_number" in columns:
        take("card_number", cells.parse_card_number(cell("card_number")))
    if "phone" in columns:
        take("phone", cells.parse_phone(cell("phone")))
    if "status" in columns:
        take("status", cells.parse_status(cell("status")))
    if "app_account" in columns:
        take("app_account", cells.parse_account(cell("app_account")))
    for name in ("has_smartphone", "needs_support", "serious_illness"):
        if name in columns:
            take(name, cells.parse_bool(cell(name), label=FIELD_LABELS[name]))
    for name in ("branch_label", "position", "address", "left_to"):
        if name in columns:
            take(name, cells.parse_text(cell(name)))
    if "notes" in columns:
        take("notes", cells.parse_multiline(cell("notes")))
    _infer_status(row, columns, today)
    if row.name_text and len(row.present) == 1 and not row.errors:
        row.warnings.append(
            "Dòng chỉ có họ tên, không có thông tin nào khác; hãy kiểm tra đây có đúng là "
            "đảng viên không."
        )
    return row


# -- planning against the register ---------------------------------------------------------


@dataclass
class _Plan:
    result: RowResult
    data: MemberInput | None = None
    target: Member | None = None


@dataclass
class _Index:
    by_pid: dict[str, Member]
    by_card: dict[str, Member]
    by_name_birth: dict[tuple[str, dt.date | None], list[Member]]

    @classmethod
    def build(cls, rows: list[Member]) -> _Index:
        index = cls({}, {}, {})
        for m in rows:
            if m.personal_id:
                index.by_pid[m.personal_id] = m
            if m.card_number:
                index.by_card[m.card_number] = m
            index.by_name_birth.setdefault((m.name_search, m.birth_date), []).append(m)
        return index


def _input_of(m: Member) -> MemberInput:
    return MemberInput(**{name: getattr(m, name) for name in INPUT_FIELDS})


def _show(field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "có" if value else "không"
    if field_name == "status":
        return MEMBER_STATUSES.get(str(value), str(value))
    if field_name == "app_account":
        return ACCOUNT_STATES.get(str(value), str(value))
    return str(value)


def _derive_status(present: dict[str, Any], today: dt.date) -> str:
    """The status of a new member from the dates alone (`_infer_status` has already put an
    explicit status, or one read from the notes, in `present`)."""
    if present.get("official_date"):
        return MemberStatus.OFFICIAL.value
    admission = present.get("admission_date")
    if isinstance(admission, dt.date) and probation_end(admission) > today:
        return MemberStatus.PROBATIONARY.value
    return MemberStatus.OFFICIAL.value


# Status words in a note ("Ghi chú"), on folded text. Order matters: the first match wins.
_NOTE_STATUS: list[tuple[re.Pattern[str], MemberStatus]] = [
    (re.compile(r"\b(tu tran|tu the|qua doi|da mat|hy sinh)\b"), MemberStatus.DECEASED),
    (re.compile(r"\b(xoa ten|khai tru)\b"), MemberStatus.REMOVED),
    (
        re.compile(r"\b(chuyen di|da chuyen|chuyen sinh hoat|chuyen sh|chuyen dang)\b"),
        MemberStatus.TRANSFERRED,
    ),
    (
        re.compile(r"\b(mien (sh|shd|sinh hoat|cong tac|ct va sh)|msh)\b"),
        MemberStatus.EXEMPT,
    ),
    (re.compile(r"\b(du bi|dang vien du bi|dvdb|db)\b"), MemberStatus.PROBATIONARY),
]
# Ambiguous in a note: the secretary must decide (a warning, the status is not changed).
_NOTE_AMBIGUOUS = re.compile(
    r"\b(gioi thieu sinh hoat|sinh hoat tam|shtt|tam thoi|xet chinh thuc|cho chinh thuc|"
    r"chua chinh thuc|sap chuyen|xin chuyen|de nghi xoa|om nang|benh nang)\b"
)


def status_from_note(note: str) -> tuple[MemberStatus | None, str | None]:
    """(status named by a note, or None; the ambiguous phrase found, or None)."""
    key = fold(note)
    if not key:
        return None, None
    found = [status for pattern, status in _NOTE_STATUS if pattern.search(key)]
    ambiguous = _NOTE_AMBIGUOUS.search(key)
    if len(set(found)) > 1:
        return None, note.strip()
    return (found[0] if found else None), (ambiguous.group(0) if ambiguous else None)


def _infer_status(row: _Row, columns: dict[str, int], today: dt.date) -> None:
    """Status from the status column, else from a note, else from the dates; anything
    ambiguous becomes a warning the secretary sees in the preview (never a silent guess)."""
    present = row.present
    note = str(present.get("notes") or "")
    noted, unclear = status_from_note(note)
    explicit = present.get("status")
    if unclear and noted is None:
        row.warnings.append(
            f"Ghi chú “{note[:80]}” có thể nói về trạng thái đảng viên nhưng chưa rõ; hãy chọn "
            "trạng thái cho đúng."
        )
    elif unclear:
        row.warnings.append(
            f"Ghi chú “{note[:80]}” ghi {noted.label.lower() if noted else ''} nhưng còn "
            f"“{unclear}”; hãy kiểm tra trạng thái."
        )
    if explicit is not None and noted is not None and noted.value != explicit:
        row.warnings.append(
            f"Cột trạng thái ghi “{MEMBER_STATUSES.get(str(explicit), explicit)}” nhưng ghi chú "
            f"ghi “{noted.label.lower()}”; đã theo cột trạng thái, hãy kiểm tra."
        )
    elif explicit is None and noted is not None:
        present["status"] = noted.value
        row.warnings.append(f"Trạng thái “{noted.label}” lấy từ ghi chú “{note[:80]}”.")
    decision = present.get("admission_decision_date")
    if isinstance(decision, dt.date) and present.get("admission_date") is None:
        present["admission_date"] = decision
        row.warnings.append(
            "Chỉ có ngày quyết định kết nạp; dùng cả làm ngày vào Đảng (lễ kết nạp) để tính "
            "thời gian dự bị."
        )
    row.date_columns = frozenset(n for n in ("admission_date", "official_date") if n in columns)


def _date_status_warning(row: _Row, today: dt.date) -> str | None:
    """For a new member whose status comes from the dates alone: what was inferred, when it
    is not certain (a recent admission, or a blank ngày chính thức in a file that has it)."""
    present = row.present
    if present.get("status") is not None or present.get("official_date"):
        return None
    admission = present.get("admission_date")
    if isinstance(admission, dt.date):
        ends = probation_end(admission)
        if ends > today:
            return (
                f"Chưa có ngày chính thức và vào Đảng ngày {admission:%d/%m/%Y} (chưa đủ 12 "
                "tháng): ghi là đảng viên dự bị."
            )
        if "official_date" in row.date_columns or probation_end(ends) > today:
            return (
                f"Không có ngày chính thức; vào Đảng ngày {admission:%d/%m/%Y}, đã hết 12 tháng "
                f"dự bị từ {ends:%d/%m/%Y}: tạm ghi là chính thức. Nếu chưa được công nhận "
                "chính thức, hãy ghi trạng thái dự bị."
            )
        return None
    if row.date_columns:
        return (
            "Không có trạng thái, ngày vào Đảng hay ngày chính thức: tạm ghi là chính thức; "
            "hãy kiểm tra."
        )
    return None


def _identity(row: _Row) -> list[tuple[str, Any]]:
    keys: list[tuple[str, Any]] = []
    if row.present.get("personal_id"):
        keys.append(("personal_id", row.present["personal_id"]))
    if row.present.get("card_number"):
        keys.append(("card_number", row.present["card_number"]))
    if not keys and row.name_text:
        keys.append(("name_birth", (fold(row.name_text), row.present.get("birth_date"))))
    return keys


_KEY_LABELS = {
    "personal_id": "số định danh",
    "card_number": "số thẻ đảng viên",
    "name_birth": "họ tên và ngày sinh",
}


def _plan_rows(parsed: list[_Row], existing: list[Member], *, today: dt.date) -> list[_Plan]:
    index = _Index.build(existing)
    claims: dict[tuple[str, Any], _Row] = {}
    claimed_members: dict[str, int] = {}  # member id → row that matched it
    plans: list[_Plan] = []
    for row in parsed:
        plans.append(_plan_one(row, index, claims, claimed_members, today))
    return plans


def _result(row: _Row, outcome: str, action: str, **kw: Any) -> RowResult:
    return RowResult(
        row=row.number,
        outcome=outcome,
        action=action,
        full_name=row.name_text,
        errors=tuple(row.errors),
        warnings=tuple(row.warnings),
        repairs=tuple(row.repairs),
        **kw,
    )


def _plan_one(
    row: _Row,
    index: _Index,
    claims: dict[tuple[str, Any], _Row],
    claimed_members: dict[str, int],
    today: dt.date,
) -> _Plan:
    # A row repeated in the file: reported once, on the later row.
    keys = _identity(row)
    for key in keys:
        earlier = claims.get(key)
        if earlier is None:
            continue
        label = _KEY_LABELS[key[0]]
        if earlier.present == row.present:
            row.warnings.append(
                f"Dòng này lặp lại dòng {earlier.number} (cùng {label}); chỉ nhập một lần."
            )
            row.errors.clear()
            return _Plan(_result(row, "warning", "none"))
        differing = sorted(
            FIELD_LABELS.get(k, k).lower()
            for k in set(earlier.present) | set(row.present)
            if earlier.present.get(k) != row.present.get(k)
        )
        row.errors.append(
            f"Trùng {label} với dòng {earlier.number} nhưng khác {', '.join(differing)}; "
            "dòng này không được nhập. Hãy sửa tệp cho đúng một dòng."
        )
        return _Plan(_result(row, "error", "none"))
    for key in keys:
        claims.setdefault(key, row)
    if row.errors:
        return _Plan(_result(row, "error", "none"))

    # Which member of the register is this row?
    pid, card = row.present.get("personal_id"), row.present.get("card_number")
    by_pid = index.by_pid.get(pid) if pid else None
    by_card = index.by_card.get(card) if card else None
    if by_pid is not None and by_card is not None and by_pid is not by_card:
        row.errors.append(
            f"Số định danh {pid} là của đảng viên {by_pid.full_name} nhưng số thẻ {card} là "
            f"của đảng viên {by_card.full_name} trong sổ; hãy kiểm tra lại."
        )
        return _Plan(_result(row, "error", "none"))
    target = by_pid or by_card
    if target is not None and by_pid is None and pid and target.personal_id:
        if fold(target.full_name) != fold(row.name_text):
            row.errors.append(
                f"Số thẻ {card} là của đảng viên {target.full_name} (số định danh "
                f"{target.personal_id}), khác người ở dòng này; hãy kiểm tra lại."
            )
            return _Plan(_result(row, "error", "none"))
        row.warnings.append(f"Số định danh trong sổ là {target.personal_id}; sẽ đổi thành {pid}.")
    if target is None and row.name_text:
        same = index.by_name_birth.get((fold(row.name_text), row.present.get("birth_date")), [])
        fits = [
            m
            for m in same
            if (not pid or not m.personal_id or m.personal_id == pid)
            and (not card or not m.card_number or m.card_number == card)
        ]
        if len(fits) == 1 and (row.present.get("birth_date") is not None or not (pid or card)):
            target = fits[0]
    if target is not None:
        if target.id in claimed_members:
            row.errors.append(
                f"Dòng này và dòng {claimed_members[target.id]} cùng ứng với đảng viên "
                f"{target.full_name} trong sổ; dòng này không được nhập."
            )
            return _Plan(_result(row, "error", "none"))
        claimed_members[target.id] = row.number
        if by_pid is not None and fold(target.full_name) != fold(row.name_text):
            row.warnings.append(
                f"Họ tên trong sổ là “{target.full_name}”; sẽ sửa thành “{row.name_text}”."
            )

    # The record as it will be stored: the register's values, overlaid with the file's.
    if target is not None:
        data = _input_of(target)
    else:
        data = MemberInput(full_name=row.name_text)
        data.status = _derive_status(row.present, today)
        inferred = _date_status_warning(row, today)
        if inferred:
            row.warnings.append(inferred)
    for name, value in row.present.items():
        setattr(data, name, value)  # parsed values are already in stored form (cells.py)
    for issue in check_member(data, today=today):
        (row.errors if issue.is_error else row.warnings).append(issue.message)
    if row.errors:
        return _Plan(_result(row, "error", "none", member_id=target.id if target else None))
    if target is None:
        outcome = "warning" if row.warnings else "new"
        return _Plan(_result(row, outcome, "create"), data=data)
    before = _input_of(target)
    diffs = [
        f"{FIELD_LABELS[n]}: {_show(n, getattr(before, n))} → {_show(n, getattr(data, n))}"
        for n in INPUT_FIELDS
        if getattr(before, n) != getattr(data, n)
    ]
    if not diffs:
        return _Plan(_result(row, "unchanged", "none", member_id=target.id))
    outcome = "warning" if row.warnings else "updated"
    return _Plan(
        _result(row, outcome, "update", member_id=target.id, changes=tuple(diffs)),
        data=data,
        target=target,
    )


def _parse_all(
    loaded: LoadedFile, mapping: Mapping[str, str] | None, today: dt.date
) -> tuple[Header, list[_Row], list[str]]:
    header = _mapped_header(loaded, mapping)
    problem = missing_name_message(header)
    if problem:
        from app.errors import ValidationError

        raise ValidationError(problem, field="mapping")
    columns = header.field_columns()
    table = loaded.table
    fill = _merged_fill(table, header.last_row + 1)
    notes: list[str] = []
    if fill:
        notes.append(
            f"Có {len(fill)} ô nằm trong vùng ô gộp (merge) ở phần dữ liệu; đã điền giá trị "
            "của ô gộp cho từng dòng."
        )
    parsed: list[_Row] = []
    for number, values in table.rows:
        if number <= header.last_row:
            continue
        if fill:
            values = tuple(fill.get((number, i), v) for i, v in enumerate(values))
        result = _parse_row(number, values, columns, table, today)
        if isinstance(result, str):
            notes.append(result)
        else:
            parsed.append(result)
    if not parsed:
        raise ImportFileError(
            f"Dưới dòng tiêu đề (dòng {header.row}) không có dòng đảng viên nào để nhập."
        )
    return header, parsed, notes


def _live_members(s: Session) -> list[Member]:
    return list(s.scalars(select(Member).where(Member.deleted_at.is_(None))))


def _report(
    loaded: LoadedFile,
    header: Header,
    plans: list[_Plan],
    notes: list[str],
    *,
    dry_run: bool,
    applied: bool,
) -> ImportReport:
    t = loaded.table
    return ImportReport(
        file=t.path.name,
        sheet=t.sheet,
        sheet_names=t.sheet_names,
        header_row=header.row,
        columns=header.columns,
        rows=tuple(p.result for p in plans),
        notes=tuple(loaded.notes + notes),
        dry_run=dry_run,
        applied=applied,
    )


def preview(
    book: Book,
    loaded: LoadedFile,
    *,
    mapping: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """What importing would do, row by row; nothing is written."""
    today = today or dt.date.today()
    header, parsed, notes = _parse_all(loaded, mapping, today)
    with book.read_session() as s:
        plans = _plan_rows(parsed, _live_members(s), today=today)
    return _report(loaded, header, plans, notes, dry_run=True, applied=False)


def apply(
    book: Book,
    loaded: LoadedFile,
    *,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    actor: str | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Import every valid row in one transaction; rows with errors are listed, not imported.

    The plan is made again inside the transaction, so it matches the register as it is.
    """
    today = today or dt.date.today()
    actor = actor or book.actor
    header, parsed, notes = _parse_all(loaded, mapping, today)
    source = f"Nhập từ tệp {loaded.name}"
    with book.session() as s:
        plans = _plan_rows(parsed, _live_members(s), today=today)
        work = [p for p in plans if p.data is not None]
        total = len(work)
        done = 0
        for start in range(0, total, _BATCH):
            batch = work[start : start + _BATCH]
            new = [p for p in batch if p.target is None]
            ids = member_service.create_many_in_session(
                s,
                items=[
                    (
                        p.data,
                        f"{source}, dòng {p.result.row}",
                        f"Thêm đảng viên {p.data.full_name} (nhập từ tệp)",
                    )
                    for p in new
                    if p.data is not None
                ],
                actor=actor,
            )
            for plan, member_id in zip(new, ids, strict=True):
                plan.result = replace(plan.result, member_id=member_id)
            for plan in batch:
                if plan.target is not None and plan.data is not None:
                    member_service.update_in_session(
                        s,
                        row=plan.target,
                        data=plan.data,
                        actor=actor,
                        reason=f"{source}, dòng {plan.result.row}",
                        summary=f"Cập nhật đảng viên {plan.data.full_name} (nhập từ tệp)",
                    )
            done += len(batch)
            if progress is not None:
                progress(done, total)
        report = _report(loaded, header, plans, notes, dry_run=False, applied=True)
        changes.audit_only(
            s,
            actor=actor,
            action="import",
            entity=Entity.MEMBER_IMPORT,
            entity_id="",
            summary=f"Nhập danh sách đảng viên từ tệp {loaded.name}: {report.summary()}",
        )
    return report


def import_file(
    book: Book,
    path: Path | str,
    *,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
    actor: str | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Read, then preview (dry run) or import, in one call (the command line's way)."""
    loaded = load(path, sheet=sheet, header_row=header_row, progress=progress)
    if dry_run:
        return preview(book, loaded, mapping=mapping, today=today)
    return apply(book, loaded, mapping=mapping, progress=progress, actor=actor, today=today)
