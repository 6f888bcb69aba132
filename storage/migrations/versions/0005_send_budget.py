"""send budget: one token bucket per channel in the database, shared by every worker

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:25:00

Telegram's limit (about 30 messages a second) is per bot, not per process: workers that
each kept their own rate would together exceed it. The bucket row is locked while a
worker takes from it (``FOR UPDATE``), so all workers together stay within the rate.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_send_budget")),
    )


def downgrade() -> None:
    op.drop_table("send_budget")
