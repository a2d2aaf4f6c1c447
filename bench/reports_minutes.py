"""Benchmark: the minutes PDF of a 40-member meeting (budget: under 0.5 s).

40 members, 10 absent (8 with a reason, 2 without), 6 agenda items, 15 discussion entries,
2 votes. Builds the PDF 10 times after one cold build (which also loads the fonts) and prints
the median and p95 in seconds. Not a test: run it with
    .venv/bin/python bench/reports_minutes.py
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.layout import DocHeader
from reports.minutes import (
    Absence,
    AgendaSection,
    Attendance,
    MinutesData,
    Speech,
    Vote,
    minutes_pdf,
)

RUNS = 10
BUDGET_SECONDS = 0.5

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_MIDDLE = ["Văn", "Thị", "Quốc", "Minh"]
_GIVEN = ["Hòa", "Đức", "Lan", "Tám", "Sáu", "Phát", "Châu", "Xuân", "Mười", "Kỷ"]


def _names(count: int) -> list[str]:
    return [
        f"{_FAMILY[i % 10]} {_MIDDLE[i % 4]} {_GIVEN[(i * 3 + i // 10) % 10]}" for i in range(count)
    ]


def sample_minutes() -> MinutesData:
    names = _names(40)
    reasons = ["ốm", "đi công tác", "chăm người nhà nằm viện", "về quê", "tuổi cao, sức yếu"]
    excused = [Absence(names[30 + i], reasons[i % len(reasons)]) for i in range(8)]
    attendance = Attendance(
        total=40,
        official=36,
        probationary=3,
        temporary=1,
        exempted=0,
        present=30,
        late=1,
        absent_excused=excused,
        absent_unexcused=names[38:40],
    )
    titles = [
        "Thông tin thời sự, văn bản mới của cấp trên",
        "Kiểm điểm việc thực hiện nghị quyết tháng trước",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Tình hình nhân dân, ý kiến phản ánh",
        "Triển khai ứng dụng Sổ tay đảng viên điện tử",
        "Nhiệm vụ tháng tới",
    ]
    per_section = [3, 3, 2, 3, 2, 2]  # 15 entries in all
    speaker = iter(names * 2)
    sections = [
        AgendaSection(
            title=title,
            content=(
                f"Đồng chí Bí thư trình bày: {title.lower()}. Chi bộ đã quán triệt Nghị quyết "
                "số 57-NQ/TW, Kế hoạch số 18-KH/ĐU của Đảng ủy phường; các đoàn thể phối hợp "
                "tốt, an ninh trật tự ổn định, đời sống nhân dân được quan tâm.\n\n"
                "Còn một số đảng viên cao tuổi chưa cài đặt được ứng dụng; chi ủy phân công "
                "đảng viên trẻ hỗ trợ tại nhà."
            ),
            discussion=[
                Speech(
                    next(speaker),
                    "Nhất trí với báo cáo; đề nghị chi bộ tổ chức buổi hỗ trợ vào sáng Chủ "
                    "nhật để các đồng chí cao tuổi tham gia được đầy đủ.",
                )
                for _ in range(count)
            ],
            conclusion="Chi bộ thống nhất triển khai; giao chi ủy theo dõi, đôn đốc.",
        )
        for title, count in zip(titles, per_section, strict=True)
    ]
    return MinutesData(
        header=DocHeader(
            committee="Đảng bộ phường Quy Nhơn",
            branch="Chi bộ Khu phố 3",
            place="Quy Nhơn",
            date=date(2025, 11, 5),
            number="11-BB/CB",
        ),
        kind="thuong_ky",
        starts_at=datetime(2025, 11, 5, 19, 30),
        ends_at=datetime(2025, 11, 5, 21, 15),
        place="Nhà văn hóa khu phố 3",
        chair="Đặng Văn Đức",
        chair_role="Bí thư chi bộ",
        secretary="Phạm Thị Lan",
        secretary_role="Chi ủy viên",
        guests=["Đồng chí Võ Văn Kiệt, Đảng ủy viên, phụ trách địa bàn"],
        attendance=attendance,
        sections=sections,
        votes=[
            Vote("Thông qua nghị quyết tháng 11 năm 2025", 29, 0, 1, 30),
            Vote("Đề nghị kết nạp quần chúng Bùi Thị Xuân", 28, 1, 1, 30),
        ],
        conclusion="Chi bộ thống nhất các nội dung đã thảo luận.",
    )


def main() -> None:
    data = sample_minutes()
    start = time.perf_counter()
    first = minutes_pdf(data)
    cold = time.perf_counter() - start

    timings: list[float] = []
    size = len(first)
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(minutes_pdf(data))
        timings.append(time.perf_counter() - start)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    verdict = "OK" if p95 < BUDGET_SECONDS else "OVER BUDGET"
    print(f"minutes PDF, 40 members, {size / 1024:.0f} KiB")
    print(f"cold (fonts loaded): {cold:.3f} s")
    print(
        f"median of {RUNS}: {median:.3f} s   p95: {p95:.3f} s   budget {BUDGET_SECONDS} s: {verdict}"
    )


if __name__ == "__main__":
    main()
