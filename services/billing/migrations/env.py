from billing import finance_models, gateway_models, order_models  # noqa: F401  (their tables join Base's metadata)
from billing.models import Base
from portico.migrations import run_env

run_env(Base.metadata)
