"""binding version: a case's web chat cookies can be revoked

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:30:00

A web chat cookie carries the case's binding version when it was made; raising it
("leave this device", a new code in the same browser, a consulent's new code, or
"unbind all browsers" on the dashboard) refuses every cookie made before. Cookies of
before this migration read as version 0, the starting value: they stay good until then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.add_column(
            sa.Column("binding_version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.drop_column("binding_version")
