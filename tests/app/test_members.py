"""The register service: writes with audit + outbox, search, filters, order, history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.book import Book, open_book
from app.errors import ConflictError, NotFoundError, ValidationError
from app.models import AuditEntry, OutboxEntry
from app.services import members
from app.services.members import MemberInput

PASSWORD = "mat-khau-thu-nghiem"


def add(book: Book, name: str, **kw: object) -> members.MemberView:
    return members.create(book, data=MemberInput(full_name=name, **kw))  # type: ignore[arg-type]


def test_create_normalises_and_survives_reopening(book: Book, data_dir: Path) -> None:
    nfd_name = "  Nguye\u0302\u0303n   Thi\u0323  Ho\u0300a "
    m = members.create(
        book,
        data=MemberInput(
            full_name=nfd_name,
            birth_date=dt.date(1958, 4, 2),
            gender="NỮ",
            admission_date=dt.date(1980, 5, 19),
            official_date=dt.date(1981, 5, 19),
            card_number=" 52 010 013 ",
            personal_id="052.158.001.234",
            phone="+84 912 345 678",
        ),
    )
    book.close()
    reopened = open_book(data_dir, password=PASSWORD)
    try:
        stored = members.get(reopened, member_id=m.id)
    finally:
        reopened.close()
    assert stored.full_name == "Nguyễn Thị Hòa"
    assert stored.gender == "nữ"
    assert stored.card_number == "52010013"
    assert stored.personal_id == "052158001234"
    assert stored.phone == "0912345678"


def test_each_write_has_its_audit_and_outbox_entry(book: Book) -> None:
    m = add(book, "Trần Văn Bình", phone="0912345678")
    members.update(
        book,
        member_id=m.id,
        data=MemberInput(full_name="Trần Văn Bình", phone="0987654321"),
        reason="Đổi số",
    )
    members.remove(book, member_id=m.id, reason="Chuyển sinh hoạt")
    with book.read_session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == m.id)).all()
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == m.id)).all()
    assert [a.action for a in audit] == ["create", "update", "delete"]
    assert json.loads(audit[1].changes_json) == {"phone": ["0912345678", "0987654321"]}
    assert [(o.op, o.base_version, o.version) for o in outbox] == [
        ("upsert", 0, 1),
        ("upsert", 1, 2),
        ("delete", 2, 3),
    ]
    history = members.history(book, member_id=m.id)
    assert [h.action_label for h in history] == ["Xóa", "Sửa", "Thêm"]
    assert history[0].reason == "Chuyển sinh hoạt"
    with pytest.raises(NotFoundError):
        members.get(book, member_id=m.id)


def test_an_update_that_changes_nothing_writes_nothing(book: Book) -> None:
    m = add(book, "Lê Văn An", phone="0912345678")
    members.update(book, member_id=m.id, data=m.to_input())
    assert len(members.history(book, member_id=m.id)) == 1
    assert members.get(book, member_id=m.id).version == 1


def test_errors_block_saving_with_the_field_named(book: Book) -> None:
    with pytest.raises(ValidationError) as err:
        add(book, "Lê Văn An", phone="12345")
    assert err.value.field == "phone"
    with pytest.raises(ValidationError) as err:
        add(book, "Lê Văn An", personal_id="099058001234")
    assert err.value.field == "personal_id"
    with pytest.raises(ValidationError) as err:
        add(
            book,
            "Lê Văn An",
            birth_date=dt.date(1980, 1, 1),
            admission_date=dt.date(1979, 1, 1),
        )
    assert err.value.field == "admission_date"
    assert members.count(book) == 0


def test_card_and_id_numbers_are_unique_among_live_members(book: Book) -> None:
    a = add(book, "Lê Văn An", card_number="52010013", personal_id="052058001234")
    with pytest.raises(ValidationError) as err:
        add(book, "Phạm Văn Bảo", card_number="52010013")
    assert "Lê Văn An" in err.value.message and err.value.field == "card_number"
    with pytest.raises(ValidationError):
        add(book, "Phạm Văn Bảo", personal_id="052058001234")
    members.remove(book, member_id=a.id)
    add(book, "Phạm Văn Bảo", card_number="52010013")  # a removed member's number is free


def test_warnings_do_not_block_and_validate_reports_them(book: Book) -> None:
    data = MemberInput(
        full_name="Võ Thị Lan",
        birth_date=dt.date(1960, 1, 1),
        gender="nữ",
        personal_id="052058001234",  # says male, born 1958
        admission_date=dt.date(1985, 1, 1),
        official_date=dt.date(1986, 1, 1),
    )
    issues = members.validate(book, data=data)
    assert [i.level for i in issues] == ["warning", "warning"]
    members.create(book, data=data)
    other = MemberInput(full_name="Võ Văn B", personal_id="052058001234")
    dup = members.validate(book, data=other)
    assert [(i.level, i.field) for i in dup] == [("error", "personal_id")]


def test_stale_edit_is_refused(book: Book) -> None:
    m = add(book, "Lê Văn An")
    members.update(book, member_id=m.id, data=MemberInput(full_name="Lê Văn Ân"))
    with pytest.raises(ConflictError):
        members.update(
            book,
            member_id=m.id,
            data=MemberInput(full_name="Lê Văn Anh"),
            expected_version=m.version,
        )


@pytest.fixture
def register(book: Book) -> Book:
    for name, extra in [
        ("Nguyễn Thị Hòa", {"phone": "0912345678", "card_number": "52010001"}),
        ("Nguyễn Thị Hoa", {"status": "du_bi", "admission_date": dt.date(2025, 6, 1)}),
        ("Đặng Văn Đức", {"personal_id": "052058001234", "needs_support": True}),
        ("Dương Văn An", {"has_smartphone": False}),
        ("Trần Văn Ánh", {"status": "mien_sinh_hoat"}),
        ("Lê Thị Ăn", {}),
        ("Bùi Văn Bảo", {"status": "chuyen_di"}),
    ]:
        add(book, name, **extra)
    return book


def names(rows: list[members.MemberView]) -> list[str]:
    return [r.full_name for r in rows]


def test_search_ignores_tones_marks_and_d(register: Book) -> None:
    assert names(members.list_members(register, search="nguyen thi hoa")) == [
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hòa",
    ]
    assert names(members.list_members(register, search="dang")) == ["Đặng Văn Đức"]
    assert names(members.list_members(register, search="ĐỨC")) == ["Đặng Văn Đức"]
    # Each word matches the start of a word: "an" finds An and Ánh, not Đặng or Hoàng.
    assert names(members.list_members(register, search="  van   an ")) == [
        "Dương Văn An",
        "Trần Văn Ánh",
    ]
    assert names(members.list_members(register, search="oa")) == []
    assert members.list_members(register, search="100%_") == []


def test_search_finds_card_phone_and_id_numbers(register: Book) -> None:
    assert names(members.list_members(register, search="0912 345")) == ["Nguyễn Thị Hòa"]
    assert names(members.list_members(register, search="52010001")) == ["Nguyễn Thị Hòa"]
    assert names(members.list_members(register, search="058001")) == ["Đặng Văn Đức"]


def test_filters_and_counts(register: Book) -> None:
    assert names(members.list_members(register, status="du_bi")) == ["Nguyễn Thị Hoa"]
    assert names(members.list_members(register, needs_support=True)) == ["Đặng Văn Đức"]
    assert names(members.list_members(register, has_smartphone=False)) == ["Dương Văn An"]
    active = members.list_members(register, status=members.ACTIVE_STATUSES)
    assert "Bùi Văn Bảo" not in names(active) and len(active) == 6
    assert members.count(register, search="nguyen") == 2
    assert members.count(register, status="chuyen_di") == 1
    assert members.status_counts(register)["chinh_thuc"] == 4


def test_names_sort_the_vietnamese_way_given_name_first(register: Book) -> None:
    # By given name (An, Ánh, Ăn, Bảo, Đức, Hoa, Hòa): ă after a, đ after d.
    assert names(members.list_members(register)) == [
        "Dương Văn An",
        "Trần Văn Ánh",
        "Lê Thị Ăn",
        "Bùi Văn Bảo",
        "Đặng Văn Đức",
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hòa",
    ]
    page = members.list_members(register, limit=2, offset=2)
    assert names(page) == ["Lê Thị Ăn", "Bùi Văn Bảo"]
    by_status = members.list_members(register, order="status", descending=True)
    assert by_status[0].status == "xoa_ten" or by_status[0].status == "mien_sinh_hoat"


def test_party_years_counts_whole_years(book: Book) -> None:
    m = add(book, "Lê Văn An", admission_date=dt.date(1995, 11, 16))
    assert m.party_years(dt.date(2025, 11, 15)) == 29
    assert m.party_years(dt.date(2025, 11, 16)) == 30


def test_first_page_gives_rows_and_the_full_count(register: Book) -> None:
    page = members.first_page(register, limit=2, search="nguyen")
    assert page.total == 2 and names(page.rows) == ["Nguyễn Thị Hoa", "Nguyễn Thị Hòa"]
    page = members.first_page(register, limit=3, status=members.ACTIVE_STATUSES)
    assert len(page.rows) == 3 and page.total == 6
    assert members.first_page(register, limit=5, search="khong ai").total == 0
