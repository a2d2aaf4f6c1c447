"""The order of a member's dates: born → admitted at 18–60 → official about 12 months later.

Order violations are errors; unusual ages and gaps are warnings, since old records carry
real exceptions (wartime admissions, the 6-month probation of earlier statutes, provincial
decisions for people over 60).
"""

from __future__ import annotations

import datetime as dt

from app.validation.issues import Issue, error, warning
from app.vocab import MemberStatus

MIN_ADMISSION_AGE = 18
# Wartime admissions at 16-17 are real history (a warning); younger is a typing mistake.
YOUNGEST_EVER_ADMITTED = 15
MAX_ADMISSION_AGE = 60
PROBATION_MONTHS = 12
# An official date this much earlier than 12 months, or later than LATE_MONTHS, is unusual.
EARLY_TOLERANCE_DAYS = 15
LATE_MONTHS = 18
EARLIEST_BIRTH_YEAR = 1900


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the 31st becomes the last day of a shorter month)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - February always has 28 days


def years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def probation_end(admission: dt.date) -> dt.date:
    return add_months(admission, PROBATION_MONTHS)


def check_dates(
    *,
    birth_date: dt.date | None,
    admission_date: dt.date | None,
    official_date: dt.date | None,
    status: str | None = None,
    today: dt.date | None = None,
    decision_date: dt.date | None = None,
    death_date: dt.date | None = None,
) -> list[Issue]:
    today = today or dt.date.today()
    issues: list[Issue] = []
    issues.extend(_decision_checks(decision_date, admission_date, birth_date, today))
    if death_date is not None:
        if death_date > today:
            issues.append(error("death_date", "Ngày từ trần ở trong tương lai."))
        elif birth_date is not None and death_date <= birth_date:
            issues.append(error("death_date", "Ngày từ trần phải sau ngày sinh."))
        if status not in (None, MemberStatus.DECEASED):
            issues.append(
                warning("status", "Đã có ngày từ trần nhưng trạng thái chưa là “Từ trần”.")
            )
    if birth_date is not None:
        if birth_date > today:
            issues.append(error("birth_date", "Ngày sinh ở trong tương lai."))
        elif birth_date.year < EARLIEST_BIRTH_YEAR:
            issues.append(error("birth_date", f"Năm sinh {birth_date.year} không hợp lệ."))
    if admission_date is not None:
        if admission_date > today:
            issues.append(error("admission_date", "Ngày vào Đảng ở trong tương lai."))
        if birth_date is not None:
            if admission_date <= birth_date:
                issues.append(error("admission_date", "Ngày vào Đảng phải sau ngày sinh."))
            else:
                age = years_between(birth_date, admission_date)
                if age < YOUNGEST_EVER_ADMITTED:
                    issues.append(
                        error(
                            "admission_date",
                            f"Vào Đảng khi mới {age} tuổi là không thể; hãy kiểm tra ngày sinh "
                            "và ngày vào Đảng.",
                        )
                    )
                elif age < MIN_ADMISSION_AGE:
                    issues.append(
                        warning(
                            "admission_date",
                            f"Vào Đảng khi mới {age} tuổi (quy định từ đủ 18 tuổi); "
                            "hãy kiểm tra ngày sinh và ngày vào Đảng.",
                        )
                    )
                elif age > MAX_ADMISSION_AGE:
                    issues.append(
                        warning(
                            "admission_date",
                            f"Vào Đảng khi đã {age} tuổi (trên 60 tuổi cần cấp ủy tỉnh quyết "
                            "định); hãy kiểm tra lại.",
                        )
                    )
    if official_date is not None:
        if admission_date is None:
            issues.append(
                warning("official_date", "Có ngày chính thức nhưng chưa có ngày vào Đảng.")
            )
        elif official_date <= admission_date:
            issues.append(error("official_date", "Ngày chính thức phải sau ngày vào Đảng."))
        else:
            due = probation_end(admission_date)
            if official_date < due - dt.timedelta(days=EARLY_TOLERANCE_DAYS):
                issues.append(
                    warning(
                        "official_date",
                        f"Ngày chính thức sớm hơn 12 tháng dự bị (đủ 12 tháng vào "
                        f"{due:%d/%m/%Y}); hãy kiểm tra lại.",
                    )
                )
            elif official_date > add_months(admission_date, LATE_MONTHS):
                issues.append(
                    warning(
                        "official_date",
                        f"Ngày chính thức cách ngày vào Đảng hơn {LATE_MONTHS} tháng; "
                        "hãy kiểm tra lại.",
                    )
                )
        if official_date > today:
            issues.append(warning("official_date", "Ngày chính thức ở trong tương lai."))
    issues.extend(_status_checks(status, admission_date, official_date, today))
    return issues


# The lễ kết nạp normally follows the decision within a month (30 working days); a longer gap
# is unusual but real (a warning).
CEREMONY_LATE_DAYS = 90


def _decision_checks(
    decision_date: dt.date | None,
    admission_date: dt.date | None,
    birth_date: dt.date | None,
    today: dt.date,
) -> list[Issue]:
    """Ngày quyết định kết nạp: before (or on) the lễ kết nạp, not in the future."""
    if decision_date is None:
        return []
    if decision_date > today:
        return [error("admission_decision_date", "Ngày quyết định kết nạp ở trong tương lai.")]
    if birth_date is not None and decision_date <= birth_date:
        return [error("admission_decision_date", "Ngày quyết định kết nạp phải sau ngày sinh.")]
    if admission_date is None:
        return []
    if decision_date > admission_date:
        return [
            error(
                "admission_decision_date",
                f"Ngày quyết định kết nạp ({decision_date:%d/%m/%Y}) phải trước hoặc cùng ngày "
                f"lễ kết nạp (ngày vào Đảng {admission_date:%d/%m/%Y}).",
            )
        ]
    if (admission_date - decision_date).days > CEREMONY_LATE_DAYS:
        return [
            warning(
                "admission_decision_date",
                f"Lễ kết nạp ({admission_date:%d/%m/%Y}) cách ngày quyết định kết nạp "
                f"({decision_date:%d/%m/%Y}) hơn {CEREMONY_LATE_DAYS} ngày; hãy kiểm tra lại.",
            )
        ]
    return []


def _status_checks(
    status: str | None,
    admission_date: dt.date | None,
    official_date: dt.date | None,
    today: dt.date,
) -> list[Issue]:
    if status == MemberStatus.PROBATIONARY:
        if official_date is not None:
            return [
                warning(
                    "status",
                    "Đã có ngày chính thức nhưng trạng thái vẫn là dự bị; "
                    "hãy chuyển sang chính thức.",
                )
            ]
        if admission_date is not None and probation_end(admission_date) < today:
            return [
                warning(
                    "status",
                    "Đảng viên dự bị đã hết 12 tháng dự bị ngày "
                    f"{probation_end(admission_date):%d/%m/%Y}; cần xét công nhận chính thức.",
                )
            ]
    if (
        status == MemberStatus.OFFICIAL
        and official_date is None
        and admission_date is not None
        and probation_end(admission_date) > today
    ):
        return [
            warning(
                "status",
                "Trạng thái chính thức nhưng chưa đủ 12 tháng dự bị và chưa có ngày chính thức.",
            )
        ]
    return []
