"""login throttle: wrong-login counters for names that are no user

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:20:00

A login attempt is counted before its password is checked, in the database, so that
attempts sent at the same moment are all counted. Known users count in
``dashboard_user.failed_logins``; a name that is no user counts here, under a keyed
hash of the name (never the name: it may be a password), so both lock alike and an
attacker cannot tell which names exist.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
