"""deliveries correlation_id: the customer action an email or SMS follows from

Revision ID: 7c1f3a9e2b64
Revises: 5e2b8c41d7a9
Create Date: 2026-11-23 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1f3a9e2b64"
down_revision: str | None = "5e2b8c41d7a9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("correlation_id", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("correlation_id")
