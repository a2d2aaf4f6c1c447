"""A demo branch with believable members, for trying the program with no data of one's own."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from app.book import Book, create_book
from app.services import members

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
    status = "du_bi" if probationary else "chinh_thuc"
    if elderly and age > 84 and rng.random() < 0.5:
        status = "mien_sinh_hoat"
    return members.MemberInput(
        full_name=name,
        birth_date=birth,
        gender="nữ" if female else "nam",
        admission_date=admission,
        official_date=official,
        card_number=f"{52_000_000 + index * 37:08d}",
        personal_id=personal_id,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.85 else None,
        status=status,
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
    for i in range(count):
        members.create(book, data=make_member(rng, i + 1, today), actor="Dữ liệu mẫu")
        if progress:
            progress(i + 1, count)
    return book
