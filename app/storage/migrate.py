"""Schema migrations, applied when the book is unlocked.

All or nothing: every pending revision runs inside one SQLite transaction (DDL included).
A book made by a newer program is refused untouched; an older one is backed up first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from app.errors import BookError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Alembic costs ~150 ms to import; at unlock we only need to know whether the book is at
# head, so the revision graph is read from the files' `revision`/`down_revision` lines and
# Alembic is imported only when there is something to migrate (a test checks both agree).
_REV = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(None|['\"]([^'\"]+)['\"])", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def revision_graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files."""
    graph: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REV.search(source), _DOWN.search(source)
        if rev and down:
            graph[rev.group(1)] = down.group(2)
    return graph


def head_revision() -> str:
    graph = revision_graph()
    parents = {down for down in graph.values() if down}
    heads = [rev for rev in graph if rev not in parents]
    if len(heads) != 1:
        raise BookError(
            "Chương trình bị lỗi cài đặt: các bản nâng cấp cấu trúc sổ không thống nhất."
        )
    return heads[0]


def known_revisions() -> set[str]:
    return set(revision_graph())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def pending(engine: Engine) -> tuple[str | None, str]:
    """(current, head); raises when the book is newer than this program."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise BookError(
            "Sổ này được tạo bởi phiên bản Sổ tay Chi bộ mới hơn. "
            "Vui lòng cập nhật chương trình trước khi mở sổ."
        )
    return current, head_revision()


def upgrade(
    engine: Engine, *, before_migrating: Callable[[str | None, str], None] | None = None
) -> bool:
    """Bring the schema to head. Returns True when something was migrated."""
    current, head = pending(engine)
    if current == head:
        return False
    if current is not None and before_migrating is not None:
        before_migrating(current, head)
    from alembic import command

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
