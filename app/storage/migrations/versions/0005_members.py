# Chain step 5; the revision id stays "0002_members" (the file's old name): books store it.
"""member register: a covering index for search as you type and name-ordered pages

Revision ID: 0002_members
Revises: 0006_feedback
Create Date: 2026-11-21 22:20:00

The register lists live members in Vietnamese name order, filtered by status and by a
folded-name / card / ID / phone search. This partial index holds exactly those columns in
name order, so a page of 200 is read by walking the index (no sort) and a count never
touches the wider table rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_members"
down_revision = "0006_feedback"
branch_labels = None
depends_on = None

COLUMNS = [
    "name_sort",
    "id",
    "status",
    "name_search",
    "card_number",
    "personal_id",
    "phone",
    "deleted_at",
]


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(
            "ix_member_live_search",
            COLUMNS,
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("ix_member_live_search", sqlite_where=sa.text("deleted_at IS NULL"))
