from documents.models import Base
from portico.migrations import run_env

run_env(Base.metadata)
