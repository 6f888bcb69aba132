"""case record: target group, BRP registration date, the day the PIP was decided

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:05:00

Three nullable columns on the case, entered by the consulent. The PIP deadline and the
end of the term are computed from them and the municipality file, never stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.add_column(sa.Column("target_group", sa.String(), nullable=True))
        batch.add_column(sa.Column("registered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("pip_decided_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.drop_column("pip_decided_on")
        batch.drop_column("registered_on")
        batch.drop_column("target_group")
