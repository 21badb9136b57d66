import pytest
from kit_sample import metadata

from portico.db import Database
from portico.testing import throwaway_postgres


@pytest.fixture
def db(database_backend, tmp_path):
    if database_backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'kit.db'}")
        metadata.create_all(database.engine)
        yield database
        database.dispose()
        return
    with throwaway_postgres("portico_test_kit") as url:
        database = Database(url)
        metadata.create_all(database.engine)
        yield database
        database.dispose()
