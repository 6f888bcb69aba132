"""the outcome of the brede intake: the leerbaarheidstoets's advice, the route, ontzorgen

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:30:00

Four nullable columns on the case, entered by the consulent: the leerbaarheidstoets's
advice and the route the PIP chose (codes), and ontzorgen's start and recorded end. The
route-switch deadline and ontzorgen's least end are computed, never stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.add_column(sa.Column("toets_advice", sa.String(), nullable=True))
        batch.add_column(sa.Column("route", sa.String(), nullable=True))
        batch.add_column(sa.Column("ontzorgen_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ontzorgen_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wegwijs_case") as batch:
        batch.drop_column("ontzorgen_until")
        batch.drop_column("ontzorgen_from")
        batch.drop_column("route")
        batch.drop_column("toets_advice")
