# Chain step 8; the revision id "0008_receipt_series" matches the file.
"""đảng phí: a receipt series (ký hiệu) per desktop on cash payments

Receipts made before keep their number and an empty series ("001/2026" stays "001/2026").

Revision ID: 0008_receipt_series
Revises: the head before it (see down_revision)
Create Date: 2026-12-05 21:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_receipt_series"
down_revision = "0007_dues"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dues_payment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt_series", sa.String(length=8), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("dues_payment", schema=None) as batch_op:
        batch_op.drop_column("receipt_series")
