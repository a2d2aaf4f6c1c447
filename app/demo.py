"""A demo branch with believable members, for trying the program with no data of one's own."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from app.book import Book, create_book
from app.services import members
from app.vocab import AttendanceMark, MeetingKind, MemberStatus

DEMO_PASSWORD = "chibomau2025"

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
           "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
_MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh"]
_MIDDLE_F = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Kim", "Thị Thanh", "Ngọc"]
_GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam",
            "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Tuấn", "Việt", "Vinh"]  # fmt: skip
_GIVEN_F = ["Anh", "Dung", "Hà", "Hạnh", "Hoa", "Hòa", "Hương", "Lan", "Liên", "Mai", "Nga",
            "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Yến"]  # fmt: skip
_PROVINCES = ["052", "001", "079", "031", "064", "075", "048", "046"]


def make_member(rng: random.Random, index: int, today: dt.date) -> members.MemberInput:
    female = rng.random() < 0.45
    name = " ".join(
        [
            rng.choice(_FAMILY),
            rng.choice(_MIDDLE_F if female else _MIDDLE_M),
            rng.choice(_GIVEN_F if female else _GIVEN_M),
        ]
    )
    elderly = rng.random() < 0.6  # residential branches: mostly retired members
    age = rng.randint(62, 88) if elderly else rng.randint(24, 58)
    birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    admitted_age = rng.randint(19, min(45, age - 1))
    admission = dt.date(birth.year + admitted_age, rng.randint(1, 12), rng.randint(1, 28))
    probationary = not elderly and rng.random() < 0.12 and age < 40
    if probationary:
        admission = today - dt.timedelta(days=rng.randint(60, 330))
    official = None if probationary else admission + dt.timedelta(days=365)
    century_sex = (0 if birth.year < 2000 else 2) + (1 if female else 0)
    personal_id = f"{rng.choice(_PROVINCES)}{century_sex}{birth.year % 100:02d}{index:06d}"
    status = MemberStatus.PROBATIONARY if probationary else MemberStatus.OFFICIAL
    if elderly and age > 84 and rng.random() < 0.5:
        status = MemberStatus.EXEMPT
    return members.MemberInput(
        full_name=name,
        birth_date=birth,
        gender="nữ" if female else "nam",
        admission_date=admission,
        official_date=official,
        card_number=f"{52_000_000 + index * 37:08d}",
        personal_id=personal_id,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.85 else None,
        status=status.value,
        address=f"Tổ {rng.randint(1, 12)}, Khu phố 3",
        has_smartphone=not (elderly and rng.random() < 0.45),
        app_account=rng.choice(["chua_dang_ky", "da_dang_ky", "da_duyet", "da_duyet"]),
        needs_support=elderly and rng.random() < 0.5,
    )


def create_demo_book(
    data_dir: Path, *, count: int = 28, progress: Callable[[int, int], None] | None = None
) -> Book:
    book, _recovery = create_book(
        data_dir,
        password=DEMO_PASSWORD,
        branch_name="Chi bộ Khu phố 3 (mẫu)",
        committee="Đảng bộ phường Quy Nhơn",
        address="Khu phố 3, phường Quy Nhơn, tỉnh Gia Lai",
        place_name="Quy Nhơn",
        secretary_name="Trần Văn Bình",
    )
    rng = random.Random(2025)
    today = dt.date.today()
    steps = count + 4
    for i in range(count):
        members.create(book, data=make_member(rng, i + 1, today), actor="Dữ liệu mẫu")
        if progress:
            progress(i + 1, steps)
    book.actor = "Dữ liệu mẫu"
    documents = _demo_documents(book)
    if progress:
        progress(count + 1, steps)
    _demo_meetings(book, rng, today, documents)
    if progress:
        progress(count + 3, steps)
    _demo_feedback(book, rng, today)
    _demo_dues(book, rng, today)
    if progress:
        progress(steps, steps)
    book.actor = "Bí thư chi bộ"
    return book


def _demo_documents(book: Book) -> list[str]:
    """The two public 2025 plans for the central app, as a library to search."""
    from app.resources import resource_path
    from app.services import documents

    ids: list[str] = []
    for path in sorted(resource_path("demo").glob("*.txt")):
        outcome = documents.import_file(book, path=path, actor="Dữ liệu mẫu")
        if outcome.document is not None:
            ids.append(outcome.document.id)
    return ids


def _month_start(today: dt.date, months_back: int) -> dt.date:
    month = today.month - months_back
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _demo_meetings(book: Book, rng: random.Random, today: dt.date, document_ids: list[str]) -> None:
    """Three past monthly meetings, recorded and closed, and the next one prepared."""
    from app.services import attendance, meetings

    roster = [m for m in members.list_members(book) if MemberStatus(m.status).must_attend]
    chair = "Trần Văn Bình"
    secretary = roster[0].full_name
    place = "Nhà văn hóa Khu phố 3"
    for back in (3, 2, 1, 0):
        first = _month_start(today, back)
        when = dt.datetime.combine(first + dt.timedelta(days=4), dt.time(19, 30))
        if when.date() >= today:
            continue  # this month's meeting is still ahead
        meeting = meetings.create(
            book,
            data=meetings.MeetingInput(
                kind=MeetingKind.REGULAR, starts_at=when, place=place, chair_name=chair,
                secretary_name=secretary,
            ),
        )  # fmt: skip
        marks: list[attendance.MarkInput] = []
        for member in roster:
            roll = rng.random()
            if roll < 0.08:
                marks.append(
                    attendance.MarkInput(
                        member.id, AttendanceMark.EXCUSED, "Ốm, đã báo qua điện thoại"
                    )
                )
            elif roll < 0.11:
                marks.append(attendance.MarkInput(member.id, AttendanceMark.UNEXCUSED, ""))
            elif roll < 0.16:
                marks.append(attendance.MarkInput(member.id, AttendanceMark.LATE, ""))
            else:
                marks.append(attendance.MarkInput(member.id, AttendanceMark.PRESENT, ""))
        attendance.mark_many(book, meeting_id=meeting.id, marks=marks)
        present = sum(1 for m in marks if m.status in AttendanceMark.present())
        official_present = sum(
            1
            for m, mark in zip(roster, marks, strict=True)
            if mark.status in AttendanceMark.present() and MemberStatus(m.status).votes
        )
        meetings.save_minutes(
            book,
            meeting_id=meeting.id,
            minutes=meetings.Minutes(
                sections=(
                    meetings.MinutesSection(
                        title="Thông tin thời sự, văn bản mới",
                        content="Đồng chí Bí thư quán triệt Quy định 339-QĐ/TW về sử dụng "
                        "ứng dụng Sổ tay đảng viên điện tử.",
                    ),
                    meetings.MinutesSection(
                        title="Thảo luận",
                        discussion=(
                            meetings.DiscussionEntry(
                                roster[1].full_name,
                                "Đề nghị chi bộ tổ chức buổi hỗ trợ cài ứng dụng cho đảng viên "
                                "cao tuổi vào sáng Chủ nhật.",
                            ),
                        ),
                        conclusion="Giao tổ đảng số 1 lập danh sách đảng viên cần hỗ trợ.",
                    ),
                ),
                conclusion=f"Chi bộ thống nhất nội dung; {present} đồng chí dự họp.",
                votes=(meetings.VoteRecord("Thông qua nghị quyết tháng", official_present),),
                ends_at=when + dt.timedelta(hours=1, minutes=30),
            ),
        )
        meetings.close(book, meeting_id=meeting.id)
    next_month = _month_start(today, -1)
    upcoming = meetings.create(
        book,
        data=meetings.MeetingInput(
            kind=MeetingKind.REGULAR,
            starts_at=dt.datetime.combine(next_month + dt.timedelta(days=4), dt.time(19, 30)),
            place=place, chair_name=chair, secretary_name=secretary,
        ),
    )  # fmt: skip
    for document_id in document_ids[:1]:
        meetings.attach_document(book, meeting_id=upcoming.id, document_id=document_id)
    attendance.request_absence(
        book,
        meeting_id=upcoming.id,
        member_id=roster[2].id,
        reason="Đi khám bệnh định kỳ",
        channel="dien_thoai",
    )


def _demo_feedback(book: Book, rng: random.Random, today: dt.date) -> None:
    from app.services import feedback

    people = members.list_members(book)
    feedback.add(
        book,
        data=feedback.FeedbackInput(
            member_id=people[3].id,
            kind="de_xuat",
            content="Đề nghị in tài liệu sinh hoạt chữ to cho đảng viên cao tuổi.",
            channel="truc_tiep",
        ),
    )
    feedback.add(
        book,
        data=feedback.FeedbackInput(
            member_id=people[5].id,
            kind="phan_anh",
            content="Đèn đường ở tổ 4 bị hỏng đã hai tuần.",
            channel="dien_thoai",
        ),
    )


def _demo_dues(book: Book, rng: random.Random, today: dt.date) -> None:
    """Đảng phí this year: each member's basis (salary, pension or fixed), most months paid in
    cash at the meeting or on DVCQG, a few months still unpaid, one reduction."""
    from app.errors import KnownError
    from app.services import dues

    year_first = f"{today.year:04d}-01"
    this_month = f"{today:%Y-%m}"
    month_index = today.month
    gone = (MemberStatus.TRANSFERRED, MemberStatus.DECEASED, MemberStatus.REMOVED)
    people = [m for m in members.list_members(book) if m.status not in gone]
    until = today.year * 12 + today.month - 1 + 5
    reduce_until = f"{until // 12:04d}-{until % 12 + 1:02d}"
    for n, m in enumerate(people):
        joined = f"{m.admission_date:%Y-%m}" if m.admission_date else year_first
        start = max(year_first, joined)
        age = today.year - m.birth_date.year if m.birth_date else 50
        try:
            if age >= 60:
                income = rng.choice([3_800_000, 4_500_000, 5_200_000, 6_700_000])
                dues.set_setting(book, member=m.id, basis="pension", income=income,
                                 effective_from=start, today=today)  # fmt: skip
            elif n % 3 == 0:
                dues.set_setting(book, member=m.id, basis="fixed", effective_from=start,
                                 today=today)  # fmt: skip
            else:
                income = rng.choice([5_310_000, 6_200_000, 7_450_000, 9_800_000])
                dues.set_setting(book, member=m.id, basis="salary", income=income,
                                 effective_from=start, today=today)  # fmt: skip
            if n == 5:
                dues.set_setting(book, member=m.id, basis="fixed", reduce_percent=50,
                                 reduce_until=reduce_until,
                                 reason="Đơn đề nghị: điều trị bệnh dài ngày",
                                 effective_from=this_month, today=today)  # fmt: skip
        except KnownError:
            continue
        online = n % 4 == 1
        late = n % 7 == 3  # a few months still unpaid
        months = [f"{today.year:04d}-{i:02d}" for i in range(1, month_index)]
        months = [mo for mo in months if mo >= start]
        if late:
            months = months[: max(0, len(months) - 3)]
        if rng.random() < 0.45:
            months.append(this_month)
        for i in range(0, len(months), 3):
            batch = months[i : i + 3]
            year, mon = (int(p) for p in batch[-1].split("-"))
            paid_on = min(today, dt.date(year, mon, 10))
            try:
                dues.pay(
                    book,
                    member=m.id,
                    months=batch,
                    via="dvcqg" if online else "cash",
                    reference=f"DVC{year}{mon:02d}{n:04d}" if online else "",
                    paid_on=paid_on,
                    today=today,
                )
            except KnownError:
                continue
