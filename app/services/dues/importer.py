"""Importing a DVCQG payment list or a bank statement export (.xlsx/.csv).

Each row is matched to one member by CCCD or card number together with the name (a row
with a name alone matches when exactly one member has it). The whole file is checked
before anything is stored: a row that matches nobody or two people, or whose month or
amount cannot be read, refuses the import with the row named. Rows already recorded with
the same reference are skipped, so importing the same file twice stores nothing new.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import KnownError, ValidationError
from app.importers.cells import cell_text, parse_card_number, parse_date, parse_personal_id
from app.importers.sheet_reader import read_table
from app.models import DuesPayment, Member
from app.services.dues.entries import pay_in
from app.services.dues.ledger import MemberInfo, member_info
from app.services.dues.rules import money as fmt_money
from app.services.dues.rules import month_label, months_label, parse_month
from app.text import fold

if TYPE_CHECKING:
    from app.book import Book

# Header words (folded) → field. The first header that fits a field is taken.
_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("name", ("ho va ten", "ho ten", "ten dang vien", "nguoi nop", "ten nguoi nop")),
    ("personal_id", ("cccd", "can cuoc", "dinh danh", "cmnd")),
    ("card", ("so the", "the dang")),
    ("month", ("ky dong", "ky nop", "thang dong", "thang", "ky")),
    ("amount", ("so tien", "ghi co", "so tien ghi co", "tien nop", "credit")),
    (
        "reference",
        (
            "ma giao dich",
            "ma ho so",
            "so tham chieu",
            "ma tham chieu",
            "so but toan",
            "ma gd",
            "reference",
        ),
    ),
    ("date", ("ngay nop", "ngay giao dich", "ngay gd", "ngay thanh toan", "ngay")),
    ("text", ("noi dung", "dien giai", "mo ta")),
)
_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|den)\s*[tT]?(\d{1,2})\s*/\s*(\d{4})")
_LIST = re.compile(r"((?:\d{1,2}\s*[,;]\s*)+\d{1,2})\s*/\s*(\d{4})")
_ONE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?!\d)")
_DIGITS = re.compile(r"(?<!\d)(\d{9}|\d{12})(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{8}|\d{10}|\d{11})(?!\d)")


@dataclass(frozen=True)
class ImportRow:
    """One row of the file as it will be (or was) imported."""

    line: int  # row number in the sheet
    full_name: str
    member_id: str | None
    months: tuple[str, ...]
    amount: int  # the row's total
    reference: str
    paid_on: dt.date | None
    state: str  # new | already | skipped | problem
    message: str

    def to_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "full_name": self.full_name,
            "member_id": self.member_id,
            "months": list(self.months),
            "amount": self.amount,
            "reference": self.reference,
            "paid_on": self.paid_on.isoformat() if self.paid_on else None,
            "state": self.state,
            "message": self.message,
        }


@dataclass(frozen=True)
class ImportPreview:
    file: str
    channel: str  # dvcqg | bank
    rows: tuple[ImportRow, ...]
    stored: bool  # False for a dry run

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def total_new(self) -> int:
        return sum(r.amount for r in self.rows if r.state == "new")

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "channel": self.channel,
            "stored": self.stored,
            "new": self.count("new"),
            "already": self.count("already"),
            "skipped": self.count("skipped"),
            "problems": self.count("problem"),
            "total_new": self.total_new,
            "rows": [r.to_json() for r in self.rows],
        }


def _header(rows: list[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[str, int]]:
    for index, (_line, values) in enumerate(rows[:20]):
        found: dict[str, int] = {}
        for col, value in enumerate(values):
            key = fold(cell_text(value))
            if not key:
                continue
            for field, words in _HEADERS:
                if field not in found and any(w in key for w in words):
                    found[field] = col
                    break
        if "amount" in found and ("name" in found or "text" in found):
            return index, found
    raise ValidationError(
        "Không nhận ra bảng kê: cần có cột “Số tiền” và cột “Họ và tên” (hoặc “Nội dung” "
        "của sao kê ngân hàng).",
        field="file",
    )


def _months(text: str) -> list[str]:
    folded = fold(text)
    out: list[str] = []
    for m in _RANGE.finditer(folded):
        first, last, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        out.extend(f"{year:04d}-{mon:02d}" for mon in range(first, last + 1) if 1 <= mon <= 12)
    rest = _RANGE.sub(" ", folded)
    for m in _LIST.finditer(rest):
        year = int(m.group(2))
        out.extend(f"{year:04d}-{int(x):02d}" for x in re.split(r"[,;]", m.group(1)))
    rest = _LIST.sub(" ", rest)
    for m in _ONE.finditer(rest):
        out.append(f"{int(m.group(2)):04d}-{int(m.group(1)):02d}")
    for m in _ISO.finditer(_ONE.sub(" ", rest)):
        out.append(f"{int(m.group(1)):04d}-{int(m.group(2)):02d}")
    checked = [parse_month(x) for x in out]
    return sorted(set(checked))


def _amount(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(value)
    text = cell_text(value).replace(" ", "").replace("đ", "").replace("VND", "")
    text = text.replace(".", "").replace(",", "")
    return int(text) if text.isdigit() else None


@dataclass
class _Index:
    by_pid: dict[str, list[str]]
    by_card: dict[str, list[str]]
    by_name: dict[str, list[str]]
    names: dict[str, str]


def _index(s: Session) -> _Index:
    idx = _Index({}, {}, {}, {})
    rows = s.execute(
        select(Member.id, Member.full_name, Member.personal_id, Member.card_number).where(
            Member.deleted_at.is_(None)
        )
    )
    for mid, name, pid, card in rows:
        idx.names[mid] = name
        idx.by_name.setdefault(fold(name), []).append(mid)
        if pid:
            idx.by_pid.setdefault(pid, []).append(mid)
        if card:
            idx.by_card.setdefault(card, []).append(mid)
    return idx


def _match(idx: _Index, name: str, text: str, pid: str, card: str) -> tuple[str | None, str]:
    """(member id, "") or (None, the reason in Vietnamese)."""
    folded = fold(name)
    ids: list[str] = []
    if pid:
        ids = idx.by_pid.get(pid, [])
    if not ids and card:
        ids = idx.by_card.get(card, [])
    if not ids and text and not pid and not card:
        for found in _DIGITS.findall(text):
            ids = idx.by_pid.get(found, [])
            if ids:
                break
        if not ids:
            for found in _CARD.findall(text):
                ids = idx.by_card.get(found, [])
                if ids:
                    break
    if ids:
        mid = ids[0]
        member_name = fold(idx.names[mid])
        if folded and folded != member_name:
            return None, (f"số CCCD/số thẻ là của đồng chí {idx.names[mid]} nhưng tên ghi “{name}”")
        if not folded and text and member_name not in fold(text):
            return None, (
                f"số CCCD/số thẻ là của đồng chí {idx.names[mid]} nhưng nội dung không ghi tên "
                "đồng chí đó"
            )
        return mid, ""
    if pid or card:
        return None, f"không có đảng viên nào có số “{pid or card}” trong sổ"
    candidates = idx.by_name.get(folded, []) if folded else []
    if not candidates and text:
        ftext = fold(text)
        candidates = [mid for key, mids in idx.by_name.items() if key in ftext for mid in mids]
    if len(candidates) == 1:
        return candidates[0], ""
    if len(candidates) > 1:
        return None, (
            f"khớp với {len(candidates)} đảng viên cùng tên “{name or idx.names[candidates[0]]}”; "
            "cần ghi số CCCD hoặc số thẻ"
        )
    return None, f"không khớp với đảng viên nào trong sổ (“{name or text}”)"


def import_payments(
    book: Book, *, path: Path, dry_run: bool = False, today: dt.date | None = None
) -> ImportPreview:
    """Preview (dry run) or store the payments of a DVCQG list or a bank statement."""
    today = today or dt.date.today()
    table = read_table(Path(path))
    start, cols = _header(table.rows)
    channel = "dvcqg" if "name" in cols else "bank"
    data_rows = table.rows[start + 1 :]
    planned: list[ImportRow] = []
    with book.read_session() as s:
        idx = _index(s)
        taken = {
            (p.member_id, p.month): p
            for p in s.scalars(select(DuesPayment).where(DuesPayment.deleted_at.is_(None)))
        }
        infos: dict[str, MemberInfo] = {}
        for line, values in data_rows:

            def get(field: str, values: tuple[Any, ...] = values) -> Any:
                col = cols.get(field)
                return values[col] if col is not None and col < len(values) else None

            name = cell_text(get("name"))
            text = cell_text(get("text"))
            raw_amount = get("amount")
            if not name and not text and raw_amount in (None, ""):
                continue
            if fold(name) in ("tong", "tong cong", "cong") or fold(text) in ("tong", "tong cong"):
                continue
            amount = _amount(raw_amount)
            reference = cell_text(get("reference")) or f"{Path(path).name}#{line}"
            pid = parse_personal_id(get("personal_id")).value or ""
            card = parse_card_number(get("card")).value or ""
            date_cell = get("date")
            paid_on = (
                parse_date(date_cell, label="Ngày nộp", today=today).value
                if date_cell not in (None, "")
                else None
            )

            def problem(
                msg: str,
                months: tuple[str, ...] = (),
                *,
                head: tuple[int, str, int, str, dt.date | None] = (
                    line,
                    name,
                    amount or 0,
                    reference,
                    paid_on,
                ),
            ) -> ImportRow:
                return ImportRow(
                    head[0], head[1], None, months, head[2], head[3], head[4], "problem", msg
                )

            try:
                months = tuple(_months(cell_text(get("month")) + " " + text))
            except KnownError as exc:
                planned.append(problem(f"Dòng {line}: {exc.message}"))
                continue
            if amount is None or amount <= 0:
                planned.append(problem(f"Dòng {line}: không đọc được số tiền."))
                continue
            if not months:
                planned.append(problem(f"Dòng {line}: không rõ đóng cho tháng nào."))
                continue
            if amount % len(months):
                planned.append(
                    problem(
                        f"Dòng {line}: {fmt_money(amount)} đ không chia đều cho "
                        f"{len(months)} tháng ({months_label(months)}).",
                        months,
                    )
                )
                continue
            mid, why = _match(idx, name, text, pid, card)
            if mid is None:
                planned.append(problem(f"Dòng {line}: {why}.", months))
                continue
            info = infos.get(mid) or member_info(s, mid)
            infos[mid] = info
            full = info.full_name
            already = [taken.get((mid, m)) for m in months]
            paid_other = [
                (m, p)
                for m, p in zip(months, already, strict=True)
                if p is not None and p.channel != "excused"
            ]
            if all(p is not None and p.reference == reference for p in already):
                state, message = "already", "Đã nhập trước đây."
            elif paid_other:
                m, p = paid_other[0]
                state, message = (
                    "skipped",
                    (
                        f"Dòng {line}: đồng chí {full} đã đóng tháng {month_label(m)} "
                        f"({fmt_money(p.amount)} đ, ngày {p.paid_on:%d/%m/%Y}); "
                        "không ghi lần hai, cần đối chiếu."
                    ),
                )
            else:
                state = "new"
                message = f"{full}: {fmt_money(amount)} đ, tháng {months_label(months)}"
            planned.append(
                ImportRow(line, full, mid, months, amount, reference, paid_on, state, message)
            )
        problems = [r for r in planned if r.state == "problem"]
        if not planned:
            raise ValidationError(f"Tệp “{Path(path).name}” không có dòng nộp tiền nào.")
    seen: dict[tuple[str, str], int] = {}
    for i, r in enumerate(planned):
        if r.state != "new" or r.member_id is None:
            continue
        for m in r.months:
            if (r.member_id, m) in seen:
                planned[i] = ImportRow(
                    r.line,
                    r.full_name,
                    r.member_id,
                    r.months,
                    r.amount,
                    r.reference,
                    r.paid_on,
                    "problem",
                    f"Dòng {r.line}: tháng {month_label(m)} của đồng chí "
                    f"{r.full_name} đã có ở dòng {seen[(r.member_id, m)]}.",
                )
                problems.append(planned[i])
                break
            seen[(r.member_id, m)] = r.line
    preview = ImportPreview(str(path), channel, tuple(planned), stored=False)
    if dry_run:
        return preview
    if problems:
        shown = "; ".join(p.message for p in problems[:3])
        more = f" (và {len(problems) - 3} dòng khác)" if len(problems) > 3 else ""
        raise ValidationError(
            f"Chưa nhập gì: {len(problems)} dòng cần sửa — {shown}{more}", field="file"
        )
    with book.session() as s:
        for r in planned:
            if r.state != "new" or r.member_id is None:
                continue
            pay_in(
                s,
                book.actor,
                infos[r.member_id],
                months=r.months,
                amount=r.amount // len(r.months),
                via=channel,
                reference=r.reference,
                paid_on=r.paid_on or today,
                today=max(today, r.paid_on or today),
                note=f"Nhập từ {Path(path).name}, dòng {r.line}",
            )
        return ImportPreview(str(path), channel, tuple(planned), stored=True)
