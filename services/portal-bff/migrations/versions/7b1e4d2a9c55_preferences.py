"""preferences: theme and language per customer

Revision ID: 7b1e4d2a9c55
Revises: 05c7cc4aed40
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b1e4d2a9c55"
down_revision: str | None = "05c7cc4aed40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("theme IN ('light', 'dark', 'system')", name=op.f("ck_preferences_theme")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["portal_accounts.customer_id"],
            name=op.f("fk_preferences_customer_id_portal_accounts"),
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_preferences")),
    )


def downgrade() -> None:
    op.drop_table("preferences")
