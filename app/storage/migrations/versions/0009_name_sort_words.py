# Chain step 9; the revision id "0009_name_sort_words" matches the file.
"""member.name_sort: each word placed whole (letters, then tone) before the next counts

The stored key used to compare every word's letters first and all tones last, so "Lê Thị Thu
Hường" came before "Nguyễn Thị Thanh Hương" (the surnames decided before the tones of the
given names). Keys are recomputed with app.text.name_sort_key; downgrade writes the old form.

Revision ID: 0009_name_sort_words
Revises: 0008_receipt_series
Create Date: 2026-12-06 22:30:00
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from app.text import _enc, _letter_keys, clean, name_sort_key

revision = "0009_name_sort_words"
down_revision = "0008_receipt_series"
branch_labels = None
depends_on = None


def _old_key(full_name: str) -> str:
    """The key as 0001–0008 stored it: all words' letters, "|", then all words' tones."""
    words = clean(full_name).split(" ")
    if not words or words == [""]:
        return ""
    ordered = [words[-1], *words[:-1]]
    keys = [_letter_keys(w) for w in ordered]
    letters = " ".join("".join(_enc(p) for p in prim) for prim, _ in keys)
    return letters + "|" + " ".join("".join(str(t) for t in tones) for _, tones in keys)


def _rewrite(key: Callable[[str], str]) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, full_name FROM member")).all()
    for member_id, full_name in rows:
        conn.execute(
            sa.text("UPDATE member SET name_sort = :key WHERE id = :id"),
            {"key": key(full_name or ""), "id": member_id},
        )


def upgrade() -> None:
    _rewrite(name_sort_key)


def downgrade() -> None:
    _rewrite(_old_key)
