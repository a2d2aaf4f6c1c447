"""Schema migrations at unlock: refuse newer books, back up first, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.book import Book, open_book
from app.errors import BookError
from app.storage import migrate
from tests.conftest import TEST_PASSWORD


def _set_revision(book: Book, revision: str) -> None:
    assert book.engine is not None
    with book.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = ?", (revision,))


def test_new_book_is_at_head(book: Book) -> None:
    assert book.engine is not None
    assert migrate.current_revision(book.engine) == migrate.head_revision()


def test_book_from_a_newer_program_is_refused_untouched(book: Book, data_dir: Path) -> None:
    _set_revision(book, "9999_from_the_future")
    book.close()
    before = (data_dir / "book.db").read_bytes()
    with pytest.raises(BookError, match="phiên bản Sổ tay Chi bộ mới hơn"):
        open_book(data_dir, password=TEST_PASSWORD)
    assert (data_dir / "book.db").read_bytes() == before


def _copy_migrations_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    head = migrate.head_revision()
    (folder / "versions" / "9000_test.py").write_text(
        f'revision = "9000_test"\ndown_revision = "{head}"\nbranch_labels = None\n'
        f"depends_on = None\nimport sqlalchemy as sa\nfrom alembic import op\n\n{extra}\n",
        encoding="utf-8",
    )
    return folder


def test_migration_backs_up_first_and_applies(
    book: Book, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book.close()
    folder = _copy_migrations_with(
        tmp_path,
        "def upgrade():\n    op.create_table('ghi_chu', sa.Column('id', sa.Integer, primary_key=True))\n"
        "def downgrade():\n    op.drop_table('ghi_chu')\n",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert again.engine is not None
    assert "ghi_chu" in inspect(again.engine).get_table_names()
    assert migrate.current_revision(again.engine) == "9000_test"
    again.close()
    backups = list((data_dir / "backups").glob("truoc-nang-cap-*.sotaybak"))
    assert len(backups) == 1


def test_failed_migration_leaves_the_book_as_it_was(
    book: Book, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = migrate.head_revision()
    book.close()
    folder = _copy_migrations_with(
        tmp_path,
        "def upgrade():\n"
        "    op.create_table('nua_chung', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    op.execute('THIS IS NOT SQL')\n"
        "def downgrade():\n    pass\n",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    with pytest.raises(BookError, match="giữ nguyên"):
        open_book(data_dir, password=TEST_PASSWORD)
    monkeypatch.undo()
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert again.engine is not None
    assert migrate.current_revision(again.engine) == head
    assert "nua_chung" not in inspect(again.engine).get_table_names()
    again.close()


def test_fast_revision_reader_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.head_revision()]
    assert {r.revision for r in script.walk_revisions()} == migrate.known_revisions()


# Revision ids books already store, kept although they no longer match their file names.
_STORED_IDS_OTHER_THAN_THE_FILE = {
    "0001_foundation": "0001",
    "0002_meetings": "0003_meetings",
    "0003_documents": "0004_documents",
    "0004_feedback": "0006_feedback",
    "0005_members": "0002_members",
}


def _chain_base_to_head() -> list[tuple[str, str]]:
    """(file stem, revision id) of every migration, from the first applied to the last."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    walked = list(script.walk_revisions())  # head first
    return [(Path(r.path).stem, r.revision) for r in reversed(walked)]


def test_file_numbers_follow_the_chain_order() -> None:
    chain = _chain_base_to_head()
    numbers = [int(stem.split("_", 1)[0]) for stem, _ in chain]
    assert numbers == sorted(set(numbers)), (
        "Số thứ tự tệp migration phải tăng dần theo chuỗi down_revision: "
        + " → ".join(stem for stem, _ in chain)
    )
    assert numbers[0] == 1 and chain[-1][1] == migrate.head_revision()


def test_new_migrations_are_named_like_their_file() -> None:
    chain = _chain_base_to_head()
    stored = {stem: rev for stem, rev in chain if stem in _STORED_IDS_OTHER_THAN_THE_FILE}
    assert stored == _STORED_IDS_OTHER_THAN_THE_FILE  # books hold these: never renamed
    renamed = [
        (stem, rev)
        for stem, rev in chain
        if stem not in _STORED_IDS_OTHER_THAN_THE_FILE and rev != stem
    ]
    assert renamed == [], "Mã revision của migration mới phải trùng tên tệp."
