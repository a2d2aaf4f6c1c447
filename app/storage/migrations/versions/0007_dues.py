# Chain step 7; the revision id "0007_dues" matches the file.
"""đảng phí: dues settings with history, payments, remittances upward

Revision ID: 0007_dues
Revises: the head before it (see down_revision)
Create Date: 2026-12-05 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_dues"
down_revision = "0006_member_dates"
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "dues_setting",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("effective_from", sa.String(length=7), nullable=False),
        sa.Column("basis", sa.String(length=10), nullable=False),
        sa.Column("income", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("exempt_kind", sa.String(length=16), nullable=False),
        sa.Column("reduce_percent", sa.Integer(), nullable=True),
        sa.Column("reduce_until", sa.String(length=7), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_dues_setting_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_setting")),
    )
    with op.batch_alter_table("dues_setting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dues_setting_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "ix_dues_setting_member_from", ["member_id", "effective_from"], unique=False
        )

    op.create_table(
        "dues_payment",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("receipt_no", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_dues_payment_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_payment")),
    )
    with op.batch_alter_table("dues_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dues_payment_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "uq_dues_payment_member_month",
            ["member_id", "month"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index("ix_dues_payment_paid_on", ["paid_on"], unique=False)
        batch_op.create_index("ix_dues_payment_month", ["month"], unique=False)

    op.create_table(
        "dues_remittance",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("remitted_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_remittance")),
    )
    with op.batch_alter_table("dues_remittance", schema=None) as batch_op:
        batch_op.create_index("ix_dues_remittance_period", ["period"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dues_remittance", schema=None) as batch_op:
        batch_op.drop_index("ix_dues_remittance_period")
    op.drop_table("dues_remittance")
    with op.batch_alter_table("dues_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_dues_payment_month")
        batch_op.drop_index("ix_dues_payment_paid_on")
        batch_op.drop_index("uq_dues_payment_member_month")
        batch_op.drop_index(batch_op.f("ix_dues_payment_member_id"))
    op.drop_table("dues_payment")
    with op.batch_alter_table("dues_setting", schema=None) as batch_op:
        batch_op.drop_index("ix_dues_setting_member_from")
        batch_op.drop_index(batch_op.f("ix_dues_setting_member_id"))
    op.drop_table("dues_setting")
