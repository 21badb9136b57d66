from portico.migrations import run_env
from ticketing.models import Base

run_env(Base.metadata)
