"""Schema migrations, applied when the book is unlocked.

All or nothing: every pending revision runs inside one SQLite transaction (DDL included).
A book made by a newer program is refused untouched; an older one is backed up first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from alembic import command
from app.errors import BookError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pending(engine: Engine) -> tuple[str | None, str]:
    """(current, head); raises when the book is newer than this program."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise BookError(
            "Sổ này được tạo bởi phiên bản Sổ tay Chi bộ mới hơn. "
            "Vui lòng cập nhật chương trình trước khi mở sổ."
        )
    return current, head_revision()


def upgrade(engine: Engine, *, before_migrating: Callable[[str | None, str], None] | None = None) -> bool:
    """Bring the schema to head. Returns True when something was migrated."""
    current, head = pending(engine)
    if current == head:
        return False
    if current is not None and before_migrating is not None:
        before_migrating(current, head)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        try:
            command.upgrade(cfg, "head")
        except Exception as exc:
            raise BookError(
                "Không nâng cấp được cấu trúc sổ; sổ được giữ nguyên như trước.",
                detail=repr(exc),
            ) from exc
    return True
