"""appointments and their reminders (an outbox the workers claim)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:55:00

Written against the models in ``storage.models``:
- timestamps are ``DateTime(timezone=True)`` (storage.types.UTCDateTime);
- names follow the naming convention in ``storage.models``;
- ``ON DELETE CASCADE``: erasing a case removes its appointments, and those their
  reminders;
- ``ix_reminder_status_available_at`` serves the workers' claim query (pending rows
  that are available now, oldest first).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("with_role", sa.String(), nullable=False),
        sa.Column("with_name", sa.String(), nullable=True),
        sa.Column("interpreter_lang", sa.String(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("response", sa.String(), nullable=True),
        sa.Column("response_reason", sa.String(), nullable=True),
        sa.Column("interpreter_requested", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["wegwijs_case.id"],
            name=op.f("fk_appointment_case_id_wegwijs_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    op.create_index(
        "ix_appointment_case_id_starts_at", "appointment", ["case_id", "starts_at"], unique=False
    )

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_reminder_appointment_id_appointment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
    )
    op.create_index(
        op.f("ix_reminder_appointment_id"), "reminder", ["appointment_id"], unique=False
    )
    op.create_index(
        "ix_reminder_status_available_at", "reminder", ["status", "available_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("reminder")
    op.drop_table("appointment")
