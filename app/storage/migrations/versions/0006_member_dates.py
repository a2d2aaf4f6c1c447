# Chain step 6; the revision id "0006_member_dates" matches the file (added this session).
"""member register: the admission decision date, serious illness and the date of death

Revision ID: 0006_member_dates
Revises: 0002_members
Create Date: 2026-12-05 19:20:00

Tuổi đảng (Huy hiệu Đảng) runs from the admission decision, probation from the admission
ceremony (ngày vào Đảng, already stored): the decision date is a new nullable column. A
seriously ill member may receive the badge early, a member who died before the presentation
posthumously (HD 01-HD/TW): a flag and the date of death. Batch mode, so the whole step is
applied or none of it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_member_dates"
down_revision = "0002_members"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("admission_decision_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("serious_illness", sa.Boolean(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(sa.Column("death_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("death_date")
        batch_op.drop_column("serious_illness")
        batch_op.drop_column("admission_decision_date")
