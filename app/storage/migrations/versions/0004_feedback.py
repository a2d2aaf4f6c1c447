# Chain step 4; the revision id stays "0006_feedback" (the file's old name): books store it.
"""feedback, support sessions for elderly members, reports to the upper committee

Revision ID: 0006_feedback
Revises: 0004_documents
Create Date: 2026-11-21 22:08:38
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_feedback"
down_revision = "0004_documents"
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
        "feedback",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("handling_note", sa.Text(), nullable=False),
        sa.Column("forwarded_on", sa.Date(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("support_session_id", sa.String(length=36), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_feedback_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_member_id"), ["member_id"], unique=False)
        batch_op.create_index("ix_feedback_state_received", ["state", "received_on"], unique=False)

    op.create_table(
        "support_session",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("helpers", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("attendees_json", sa.Text(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_session")),
    )
    with op.batch_alter_table("support_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_session_held_on"), ["held_on"], unique=False)

    op.create_table(
        "report",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("subtitle", sa.String(length=400), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("number_year", sa.Integer(), nullable=True),
        sa.Column("number_seq", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("sections_json", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.String(length=120), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("amend_reason", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("history_json", sa.Text(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index("ix_report_kind_period", ["kind", "period"], unique=False)
        batch_op.create_index(
            "uq_report_number",
            ["number_year", "number_seq"],
            unique=True,
            sqlite_where=sa.text("number_seq IS NOT NULL AND deleted_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("uq_report_number")
        batch_op.drop_index("ix_report_kind_period")
    op.drop_table("report")
    with op.batch_alter_table("support_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_session_held_on"))
    op.drop_table("support_session")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_state_received")
        batch_op.drop_index(batch_op.f("ix_feedback_member_id"))
    op.drop_table("feedback")
