"""text corrections: the translator role and the municipality's layer over the catalog

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:30:00

A dashboard user may translate (languages in `translates`) and may be no consulent
(`is_consulent` false: no caseload). Reviewed and corrected texts live in
`text_correction` (the current layer) and `text_correction_event` (its history; the
highest id is the version every process polls).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dashboard_user") as batch:
        batch.add_column(
            sa.Column("is_consulent", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("translates", sa.String(), nullable=True))
    op.create_table(
        "text_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("context", sa.String(), nullable=False),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=True),
        sa.Column("source_hash", sa.String(), nullable=False),
        sa.Column("shipped_hash", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_correction")),
        sa.UniqueConstraint("lang", "key", name=op.f("uq_text_correction_lang_key")),
    )
    op.create_table(
        "text_correction_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=True),
        sa.Column("source_hash", sa.String(), nullable=False),
        sa.Column("shipped_hash", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_correction_event")),
    )
    op.create_index(
        "ix_text_correction_event_lang_key",
        "text_correction_event",
        ["lang", "key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_text_correction_event_lang_key", table_name="text_correction_event")
    op.drop_table("text_correction_event")
    op.drop_table("text_correction")
    with op.batch_alter_table("dashboard_user") as batch:
        batch.drop_column("translates")
        batch.drop_column("is_consulent")
