"""Tuổi đảng and the Huy hiệu Đảng (Party membership badges); the end of probation.

Badges are given at 30, 40, 45, 50, ..., 90 years of membership, presented on four days a
year: 3/2, 19/5, 2/9 and 7/11. A member is due a badge at the first presentation day on or
after the day they complete the years. Tuổi đảng runs from the admission DECISION (ngày quyết
định kết nạp); when the register has only ngày vào Đảng, that date is used and the list says so.

Probation runs 12 months from the lễ kết nạp (ngày vào Đảng); within 30 working days after it
ends the chi bộ must consider recognition (QĐ 29-QĐ/TW 4.2a). Warnings come 90, 60, 30, 15 and
7 days ahead; after the end the case shows how long it is overdue.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.errors import ValidationError
from app.models import KeyValue, Member
from app.services.book_settings import save_json_setting
from app.validation.dates import add_months, years_between
from app.vocab import MemberStatus

if TYPE_CHECKING:
    from app.book import Book

BADGE_RULES_KEY = "rules.badges"

BADGE_YEARS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
AWARD_DAYS: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day)
AWARD_OCCASIONS: dict[tuple[int, int], str] = {
    (2, 3): "Kỷ niệm ngày thành lập Đảng 3/2",
    (5, 19): "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5",
    (9, 2): "Quốc khánh 2/9",
    (11, 7): "Kỷ niệm Cách mạng Tháng Mười 7/11",
}
# People no longer in the branch are not listed.
_NOT_LISTED = MemberStatus.left()


def party_age(admission: dt.date | None, on: dt.date | None = None) -> int | None:
    """Tuổi đảng on a day: whole years since admission (None without an admission date)."""
    if admission is None:
        return None
    return max(0, years_between(admission, on or dt.date.today()))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def next_award_date(on: dt.date | None = None) -> dt.date:
    """The first presentation day on or after `on`."""
    on = on or dt.date.today()
    for year in (on.year, on.year + 1):
        for month, day in AWARD_DAYS:
            candidate = dt.date(year, month, day)
            if candidate >= on:
                return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def previous_award_date(award: dt.date) -> dt.date:
    """The presentation day before `award`."""
    for year in (award.year, award.year - 1):
        for month, day in reversed(AWARD_DAYS):
            candidate = dt.date(year, month, day)
            if candidate < award:
                return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def is_award_date(day: dt.date) -> bool:
    return (day.month, day.day) in AWARD_DAYS


def badge_due_at(admission: dt.date, award: dt.date) -> int | None:
    """The badge (years) a member admitted on `admission` receives at `award`, if any."""
    start = previous_award_date(award)
    for years in BADGE_YEARS:
        if not start.year <= admission.year + years <= award.year:
            continue  # reached in another year: cannot fall in (start, award]
        reached = add_years(admission, years)
        if start < reached <= award:
            return years
    return None


def award_label(years: int) -> str:
    return f"Huy hiệu {years} năm tuổi Đảng"


def occasion_label(award: dt.date) -> str:
    return AWARD_OCCASIONS.get((award.month, award.day), f"{award:%d/%m/%Y}")


@dataclass(frozen=True)
class BadgeRules:
    """HD 01-HD/TW mục 18, as DOMAIN.md reads it [uncertain: check the months against HD 01]:
    configurable, and said so wherever they are shown."""

    # A seriously ill member may receive the badge up to this many months early.
    early_months_low: int = 12  # badges of 30 to 65 years
    early_months_high: int = 24  # badges of 70 to 90 years
    # A member who reached the years and died before the presentation is awarded posthumously.
    posthumous: bool = True
    # Months after the death during which a posthumous award is still listed.
    posthumous_months: int = 12

    def early_months(self, years: int) -> int:
        return self.early_months_low if years <= 65 else self.early_months_high

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


BADGE_RULE_LABELS: dict[str, str] = {
    "early_months_low": "Tặng sớm Huy hiệu 30–65 năm cho đảng viên bệnh hiểm nghèo: tối đa số "
    "tháng (có thể cấu hình)",
    "early_months_high": "Tặng sớm Huy hiệu 70–90 năm cho đảng viên bệnh hiểm nghèo: tối đa số "
    "tháng (có thể cấu hình)",
    "posthumous": "Truy tặng Huy hiệu cho đảng viên đã đủ tuổi Đảng nhưng từ trần trước khi trao "
    "(có thể cấu hình)",
    "posthumous_months": "Liệt kê truy tặng trong số tháng sau ngày từ trần (có thể cấu hình)",
}


def get_badge_rules(book: Book) -> BadgeRules:
    with book.read_session() as s:
        row = s.get(KeyValue, BADGE_RULES_KEY)
        raw = row.value if row is not None else ""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return BadgeRules()
    defaults = BadgeRules()
    values: dict[str, Any] = {}
    if isinstance(data, dict):
        for name, default in asdict(defaults).items():
            value = data.get(name)
            if type(value) is type(default):
                values[name] = value
    return replace(defaults, **values)


def set_badge_rules(book: Book, *, rules: BadgeRules, reason: str = "") -> BadgeRules:
    """Save the badge rules (audited; kept in this book)."""
    for name in ("early_months_low", "early_months_high", "posthumous_months"):
        if not 0 <= getattr(rules, name) <= 36:
            raise ValidationError(
                f"{BADGE_RULE_LABELS[name].split(':')[0]}: số tháng phải từ 0 đến 36.", field=name
            )
    save_json_setting(
        book,
        key=BADGE_RULES_KEY,
        current=get_badge_rules(book).to_json(),
        new=rules.to_json(),
        summary="Sửa quy tắc tặng sớm, truy tặng Huy hiệu Đảng",
        reason=reason,
    )
    return rules


BADGE_KINDS: dict[str, str] = {
    "normal": "Đủ tuổi Đảng",
    "early": "Tặng sớm (bệnh hiểm nghèo)",
    "posthumous": "Truy tặng (đã từ trần)",
}


@dataclass(frozen=True)
class BadgeDue:
    member_id: str
    full_name: str
    birth_date: dt.date | None
    gender: str | None
    admission_date: dt.date
    card_number: str | None
    status: str
    years: int
    reached_on: dt.date  # the day the member completes `years`
    award_date: dt.date
    kind: str = "normal"  # BADGE_KINDS
    from_decision: bool = False  # tuổi đảng counted from the decision date
    decision_date: dt.date | None = None
    death_date: dt.date | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return award_label(self.years)

    @property
    def kind_label(self) -> str:
        return BADGE_KINDS.get(self.kind, self.kind)

    @property
    def start_date(self) -> dt.date:
        """The day tuổi đảng runs from."""
        return self.decision_date or self.admission_date

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "admission_date": self.admission_date.isoformat(),
            "card_number": self.card_number,
            "years": self.years,
            "badge": self.label,
            "reached_on": self.reached_on.isoformat(),
            "award_date": self.award_date.isoformat(),
            "kind": self.kind,
            "kind_label": self.kind_label,
            "admission_decision_date": self.decision_date.isoformat()
            if self.decision_date
            else None,
            "party_age_from": self.start_date.isoformat(),
            "death_date": self.death_date.isoformat() if self.death_date else None,
            "notes": list(self.notes),
        }


def _early_badge(start: dt.date, award: dt.date, rules: BadgeRules) -> int | None:
    """The badge a seriously ill member may receive early at `award` (reached within the
    early window after `award`), if any."""
    for years in BADGE_YEARS:
        reached = add_years(start, years)
        if reached <= award:
            continue
        if add_months(reached, -rules.early_months(years)) <= award:
            return years
        return None
    return None


def _posthumous_badge(
    start: dt.date, death: dt.date, award: dt.date, rules: BadgeRules, ill: bool
) -> int | None:
    """The badge a member who died on `death` is awarded posthumously at `award`: reached
    (or, seriously ill, within the early window) before death but not yet presented."""
    if not rules.posthumous or not death < award <= add_months(death, rules.posthumous_months):
        return None
    for years in reversed(BADGE_YEARS):
        reached = add_years(start, years)
        eligible_from = add_months(reached, -rules.early_months(years)) if ill else reached
        if eligible_from <= death < next_award_date(reached):
            return years
    return None


def badges_due(
    book: Book, *, award_date: dt.date | None = None, on: dt.date | None = None
) -> list[BadgeDue]:
    """Members due a badge at `award_date` (default: the next presentation day after `on`),
    longest membership first, then by name: by tuổi đảng (from the decision date, or ngày vào
    Đảng when that is all the register has), early for seriously ill members and posthumously
    for members who died before the presentation (BadgeRules, configurable)."""
    award = award_date or next_award_date(on)
    if not is_award_date(award):
        award = next_award_date(award)
    rules = get_badge_rules(book)
    # Plain rows of the columns used, not ORM objects (5,000 members on the dashboard).
    q = (
        select(
            Member.id,
            Member.full_name,
            Member.birth_date,
            Member.gender,
            Member.admission_date,
            Member.admission_decision_date,
            Member.card_number,
            Member.status,
            Member.serious_illness,
            Member.death_date,
        )
        .where(
            Member.deleted_at.is_(None),
            (Member.admission_date.is_not(None) | Member.admission_decision_date.is_not(None)),
            Member.status.not_in(_NOT_LISTED) | (Member.status == MemberStatus.DECEASED),
        )
        .order_by(Member.name_sort, Member.id)
    )
    out: list[BadgeDue] = []
    with book.read_session() as s:
        rows = s.execute(q).all()
    for row in rows:
        start = row.admission_decision_date or row.admission_date
        assert start is not None
        notes: list[str] = []
        if row.admission_decision_date is None:
            notes.append("Tuổi Đảng tính từ ngày vào Đảng (sổ chưa có ngày quyết định kết nạp).")
        kind = "normal"
        if row.status == MemberStatus.DECEASED:
            if row.death_date is None:
                continue
            years = _posthumous_badge(start, row.death_date, award, rules, row.serious_illness)
            kind = "posthumous"
            notes.append(
                f"Từ trần ngày {row.death_date:%d/%m/%Y}; đề nghị truy tặng (có thể cấu hình)."
            )
        else:
            years = badge_due_at(start, award)
            if years is None and row.serious_illness:
                years = _early_badge(start, award, rules)
                kind = "early"
                notes.append(
                    "Bệnh hiểm nghèo: tặng sớm tối đa "
                    f"{rules.early_months(years or 30)} tháng (có thể cấu hình)."
                )
        if years is None:
            continue
        out.append(
            BadgeDue(
                member_id=row.id,
                full_name=row.full_name,
                birth_date=row.birth_date,
                gender=row.gender,
                admission_date=row.admission_date or start,
                card_number=row.card_number,
                status=row.status,
                years=years,
                reached_on=add_years(start, years),
                award_date=award,
                kind=kind,
                from_decision=row.admission_decision_date is not None,
                decision_date=row.admission_decision_date,
                death_date=row.death_date,
                notes=tuple(notes),
            )
        )
    out.sort(key=lambda b: -b.years)  # stable: name order within each badge
    return out


# --- the end of probation -------------------------------------------------------------------

PROBATION_WARN_DAYS: tuple[int, ...] = (90, 60, 30, 15, 7)
RECOGNITION_WORKING_DAYS = 30  # QĐ 29-QĐ/TW 4.2a
PROBATION_RULE = "QĐ 29-QĐ/TW mục 4.2a"
# Fixed-date public holidays (Bộ luật Lao động 2019 Điều 112); Tết and Giỗ Tổ follow the lunar
# calendar and are not subtracted, which the message says.
SOLAR_HOLIDAYS: tuple[tuple[int, int], ...] = ((1, 1), (4, 30), (5, 1), (9, 2))
WORKING_DAYS_NOTE = "thứ Hai đến thứ Sáu, trừ 1/1, 30/4, 1/5, 2/9; chưa trừ Tết, Giỗ Tổ"


def solar_holidays(*years: int) -> frozenset[dt.date]:
    return frozenset(dt.date(y, m, d) for y in years for m, d in SOLAR_HOLIDAYS)


def add_working_days(
    start: dt.date, days: int, holidays: frozenset[dt.date] = frozenset()
) -> dt.date:
    """The day `days` working days (Monday to Friday, less `holidays`) after `start`."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, holidays: frozenset[dt.date] = frozenset()
) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count


@dataclass(frozen=True)
class ProbationCase:
    """A dự bị member whose probation ends within the warning window or has ended."""

    member_id: str
    full_name: str
    started: dt.date  # the lễ kết nạp (or the decision date when that is all we have)
    from_decision: bool  # started is the decision date (no ceremony date in the register)
    ends: dt.date  # 12 months after `started`
    deadline: dt.date  # RECOGNITION_WORKING_DAYS working days after `ends`
    today: dt.date

    @property
    def days_left(self) -> int:
        """Days until the 12 months end (negative: days since)."""
        return (self.ends - self.today).days

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)

    @property
    def ended(self) -> bool:
        return self.days_left <= 0

    @property
    def past_deadline(self) -> bool:
        return self.today > self.deadline

    @property
    def warn_step(self) -> int | None:
        """The warning reached (90, 60, 30, 15 or 7 days ahead); None once ended."""
        if self.ended:
            return None
        steps = [d for d in PROBATION_WARN_DAYS if self.days_left <= d]
        return min(steps) if steps else None

    @property
    def serious(self) -> bool:
        return self.ended or self.days_left <= min(PROBATION_WARN_DAYS)

    @property
    def message(self) -> str:
        basis = (
            " (tính từ ngày quyết định kết nạp vì sổ chưa có ngày lễ kết nạp)"
            if (self.from_decision)
            else ""
        )
        deadline = (
            f"hạn chi bộ xét trong {RECOGNITION_WORKING_DAYS} ngày làm việc ({PROBATION_RULE}; "
            f"{WORKING_DAYS_NOTE}): {self.deadline:%d/%m/%Y}"
        )
        if self.ended:
            since = "hôm nay" if self.overdue_days == 0 else f"quá {self.overdue_days} ngày"
            if self.past_deadline:
                late = (self.today - self.deadline).days
                deadline += f", đã quá hạn {late} ngày"
            return (
                f"{self.full_name}: đã hết 12 tháng dự bị từ {self.ends:%d/%m/%Y}{basis}, chi bộ "
                f"cần xét công nhận chính thức; {since}. H{deadline[1:]}."
            )
        return (
            f"{self.full_name}: còn {self.days_left} ngày hết 12 tháng dự bị "
            f"({self.ends:%d/%m/%Y}){basis}; chuẩn bị hồ sơ xét công nhận chính thức. "
            f"H{deadline[1:]}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "started": self.started.isoformat(),
            "from_decision": self.from_decision,
            "ends": self.ends.isoformat(),
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "overdue_days": self.overdue_days,
            "past_deadline": self.past_deadline,
            "warn_days": self.warn_step,
            "message": self.message,
        }


def probation_case(
    member_id: str,
    full_name: str,
    *,
    ceremony: dt.date | None,
    decision: dt.date | None,
    today: dt.date,
    holidays: frozenset[dt.date] = frozenset(),
) -> ProbationCase | None:
    """The case of one dự bị member, or None when it is not yet within the warning window
    (or no admission date is known)."""
    started = ceremony or decision
    if started is None:
        return None
    ends = add_months(started, 12)
    if (ends - today).days > max(PROBATION_WARN_DAYS):
        return None
    return ProbationCase(
        member_id=member_id,
        full_name=full_name,
        started=started,
        from_decision=ceremony is None,
        ends=ends,
        deadline=add_working_days(
            ends, RECOGNITION_WORKING_DAYS, holidays | solar_holidays(ends.year, ends.year + 1)
        ),
        today=today,
    )


def probation_cases(
    book: Book, *, today: dt.date | None = None, holidays: frozenset[dt.date] = frozenset()
) -> list[ProbationCase]:
    """Dự bị members whose 12 months end within 90 days or have ended, the longest overdue
    first."""
    today = today or dt.date.today()
    q = (
        select(Member.id, Member.full_name, Member.admission_date, Member.admission_decision_date)
        .where(Member.deleted_at.is_(None), Member.status == MemberStatus.PROBATIONARY)
        .order_by(Member.name_sort, Member.id)
    )
    out: list[ProbationCase] = []
    with book.read_session() as s:
        for row in s.execute(q):
            case = probation_case(
                row.id,
                row.full_name,
                ceremony=row.admission_date,
                decision=row.admission_decision_date,
                today=today,
                holidays=holidays,
            )
            if case is not None:
                out.append(case)
    out.sort(key=lambda c: c.days_left)  # stable: name order within a day
    return out
