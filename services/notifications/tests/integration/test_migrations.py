"""The migrations build exactly the tables the models (and the kit's tables among them) describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from notifications.models import Base


def test_the_migrated_schema_is_what_the_models_describe(db):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert differences == []
