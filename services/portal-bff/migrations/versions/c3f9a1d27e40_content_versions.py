"""content versions: what the portal knows changed of each customer's upstream data, and of everyone's

Revision ID: c3f9a1d27e40
Revises: 7b1e4d2a9c55
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3f9a1d27e40"
down_revision: str | None = "7b1e4d2a9c55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_versions",
        sa.Column("customer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("billing", sa.BigInteger(), nullable=True),
        sa.Column("ticketing", sa.BigInteger(), nullable=True),
        sa.Column("notifications", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_versions")),
    )
    op.create_table(
        "shared_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("news", sa.BigInteger(), nullable=True),
        sa.Column("config", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_shared_versions_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_versions")),
    )


def downgrade() -> None:
    op.drop_table("shared_versions")
    op.drop_table("customer_versions")
