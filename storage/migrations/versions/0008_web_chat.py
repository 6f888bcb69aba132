"""web chat: transcripts of web chat accounts, and practice cases

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:30:00

The web chat keeps the newest lines of each web account's conversation (a browser has
no chat app that keeps them); they go with the account. "Try it without a code" makes
a practice case: on no caseload, erased after a day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.add_column(
            sa.Column("practice", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "web_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(), nullable=False),
        sa.Column("lang", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("filename", sa.String(), nullable=True),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["channel_account.id"],
            name=op.f("fk_web_message_account_id_channel_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_message")),
    )
    op.create_index(
        "ix_web_message_account_id_id", "web_message", ["account_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_web_message_account_id_id", table_name="web_message")
    op.drop_table("web_message")
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.drop_column("practice")
