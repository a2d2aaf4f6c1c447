# Chain step 2; the revision id stays "0003_meetings" (the file's old name): books store it.
"""meetings: absence requests and documents attached to a meeting

Revision ID: 0003_meetings
Revises: 0001
Create Date: 2026-11-21 21:59:01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_meetings"
down_revision = "0001"
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
        "absence_request",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_absence_request_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_absence_request_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_request")),
    )
    with op.batch_alter_table("absence_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_absence_request_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            "ix_absence_request_meeting_member", ["meeting_id", "member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_absence_request_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "meeting_document",
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_synced_columns(),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_meeting_document_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_document_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_document")),
        sa.UniqueConstraint(
            "meeting_id", "document_id", name=op.f("uq_meeting_document_meeting_id")
        ),
    )
    with op.batch_alter_table("meeting_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_document_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_document_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_document_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_document_document_id"))
    op.drop_table("meeting_document")
    with op.batch_alter_table("absence_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absence_request_member_id"))
        batch_op.drop_index("ix_absence_request_meeting_member")
        batch_op.drop_index(batch_op.f("ix_absence_request_meeting_id"))
    op.drop_table("absence_request")
