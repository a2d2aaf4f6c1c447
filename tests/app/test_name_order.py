"""Member names in Vietnamese order: by given name, then family name, then middle names, each
word compared whole as a dictionary does — letters (a ă â, d đ, o ô ơ, u ư), then the tone:
ngang, huyền, hỏi, ngã, sắc, nặng.

EXPECTED was sorted outside this program, by Perl's Unicode::Collate::Locale with locale
"vi" (CLDR's Vietnamese tailoring, common/collation/vi.xml: "&̀<<̉<<̃<<́<<̣",
"&a<ă<â", "&d<đ", "&o<ô<ơ", "&u<ư"), comparing given name, then family name, then middle
names with that collator.
"""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import text

from app.book import Book, open_book
from app.services import members
from app.services.members import MemberInput
from app.storage import migrate
from app.text import name_sort_key
from tests.conftest import TEST_PASSWORD

EXPECTED = [
    "Trần An", "Lê Ánh", "Lê Thị Ánh", "Nguyễn Ánh", "Đặng Văn Ăn", "Lê Thị Ân",
    "Trần Thị Dung", "Lê Văn Dũng", "Nguyễn Văn Đạt", "Lê Văn Đức",
    "Nguyễn Thị Hà", "Nguyễn Thị Hả", "Nguyễn Thị Há", "Nguyễn Thị Hạ",
    "Lê Hoa", "Trần Thị Hòa", "Nguyễn Văn Hỏa", "Đỗ Thị Hõa", "Vũ Văn Hóa", "Bùi Thị Họa",
    "Lê Văn Hoan", "Trần Văn Hưng", "Phạm Thị Hừng",
    "Nguyễn Thị Thanh Hương", "Lê Thị Thu Hường",
    "Hồ Thị On", "Phạm Văn Ôn", "Phan Văn Ơn",
    "Đinh Thị Tám", "Đinh Văn Tắm", "Đinh Văn Tâm", "Lê Minh Tâm", "Nguyễn Văn Tâm",
    "Nguyễn Thị Út", "Trần Thị Uyên", "Lê Văn Ưng",
]  # fmt: skip


def test_names_sort_in_vietnamese_dictionary_order() -> None:
    shuffled = EXPECTED[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == EXPECTED


def test_the_testers_two_names() -> None:
    names = ["Lê Thị Thu Hường", "Nguyễn Thị Thanh Hương"]
    assert sorted(names, key=name_sort_key) == ["Nguyễn Thị Thanh Hương", "Lê Thị Thu Hường"]


def test_the_member_list_shows_that_order(book: Book) -> None:
    shuffled = EXPECTED[:]
    random.Random(11).shuffle(shuffled)
    for name in shuffled:
        members.create(book, data=MemberInput(full_name=name))
    assert [m.full_name for m in members.list_members(book)] == EXPECTED
    listed = members.list_members(book, order="name", descending=True)
    assert [m.full_name for m in listed] == EXPECTED[::-1]


def test_a_book_with_the_old_keys_is_put_in_order_when_opened(book: Book, data_dir: Path) -> None:
    for name in ["Lê Thị Thu Hường", "Nguyễn Thị Thanh Hương", "Trần Văn Hưng"]:
        members.create(book, data=MemberInput(full_name=name))
    assert book.engine is not None
    head = migrate.head_revision()
    # The book as the previous program left it: the old keys, the revision before 0009.
    migrate_down = migrate.MIGRATIONS_DIR / "versions" / "0009_name_sort_words.py"
    assert migrate_down.exists()
    namespace: dict[str, object] = {}
    exec(migrate_down.read_text(encoding="utf-8"), namespace)
    old_key = namespace["_old_key"]
    assert callable(old_key)
    from alembic import command

    # A real downgrade to the revision before 0009 (later migrations undone too, so the
    # schema is the one the previous program had), then the old keys as it wrote them.
    cfg = migrate.alembic_config()
    with book.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(namespace["down_revision"]))
        for member_id, name in conn.execute(text("SELECT id, full_name FROM member")).all():
            conn.execute(
                text("UPDATE member SET name_sort = :k WHERE id = :id"),
                {"k": old_key(name), "id": member_id},
            )
    assert migrate.current_revision(book.engine) == namespace["down_revision"]
    with book.engine.connect() as conn:  # (the old schema: read it as the old program did)
        old_order = conn.execute(text("SELECT full_name FROM member ORDER BY name_sort, id"))
        assert [row[0] for row in old_order] == [
            "Trần Văn Hưng",
            "Lê Thị Thu Hường",  # the old order, as the tester saw it
            "Nguyễn Thị Thanh Hương",
        ]
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert again.engine is not None
    assert migrate.current_revision(again.engine) == head
    assert [m.full_name for m in members.list_members(again)] == [
        "Trần Văn Hưng",
        "Nguyễn Thị Thanh Hương",
        "Lê Thị Thu Hường",
    ]
    again.close()
