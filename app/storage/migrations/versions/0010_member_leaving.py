# Chain step 10; the revision id "0010_member_leaving" matches the file.
"""member: the date a member left the branch and where a transferred member went

A member set to chuyển đi or xóa tên now records the date (the dues are owed through that
month) and, for a transfer, the receiving chi bộ / đảng bộ. Từ trần keeps its own date
(death_date, 0006). Batch mode, so the whole step is applied or none of it.

Revision ID: 0010_member_leaving
Revises: 0009_name_sort_words
Create Date: 2026-12-05 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_member_leaving"
down_revision = "0009_name_sort_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("left_to", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("left_to")
        batch_op.drop_column("left_date")
