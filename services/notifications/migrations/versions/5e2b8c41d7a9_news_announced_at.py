"""news announced_at: when notifications.news.published went out for an item

Revision ID: 5e2b8c41d7a9
Revises: dd6899f7990c
Create Date: 2026-11-23 18:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e2b8c41d7a9"
down_revision: str | None = "dd6899f7990c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    # News already shown before this event existed is not announced now, long after the fact.
    op.execute("UPDATE news SET announced_at = publish_at WHERE publish_at <= CURRENT_TIMESTAMP")


def downgrade() -> None:
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.drop_column("announced_at")
