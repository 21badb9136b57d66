"""Gunicorn settings shared by every Portico web process.

Used as `gunicorn -c deploy/gunicorn.conf.py "<package>.app:create_app()"`; every value a
deployment may want to change is read from the environment, so one file serves all five
services, `make run`, the containers and Kubernetes.
"""

import os


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# All interfaces: inside a container the port is reached from outside the loopback.
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Processes scale the CPU-bound part. By default threads cover the time a request waits on
# another service (the BFF's fan-out): gthread. Services whose requests are short database
# reads (billing, ticketing: GUNICORN_WORKER_CLASS=sync in the Procfile, Compose and
# Kubernetes) use sync workers: each takes one request at a time from the shared accept queue,
# so load spreads evenly, where gthread keeps a keep-alive connection on the worker that
# accepted it and queues grow unevenly (billing's summary at 32 connections: p99 14-15 ms
# with sync, 19-38 ms with gthread, for the same CPU per request).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request slower than this is a bug or a hung upstream; the BFF's own per-upstream
# timeouts are shorter, so a slow upstream never costs the whole worker.
timeout = 30
# Below the container's stop grace period, so in-flight requests finish on a deploy.
graceful_timeout = 20
# Reuses connections from a proxy without letting idle clients hold threads. Behind a
# load balancer with a longer idle timeout, raise this above it: a backend that closes
# first turns into sporadic 502s.
keepalive = 5

# Off by default: request counts and latencies are in /metrics, and a plain-text line per
# request (probes included) would drown the app's JSON logs. GUNICORN_ACCESS_LOG=1 turns
# it on, to stdout, for debugging.
accesslog = "-" if _env_flag("GUNICORN_ACCESS_LOG") else None
errorlog = "-"

# Workers are not recycled: nothing is known to leak, and a restart mid-load drops
# warm connection pools for no gain.
max_requests = 0

# No control socket (gunicornc): nothing uses it, five services on one machine would share
# its default path ($HOME/.gunicorn/gunicorn.ctl), and a container user's home is read-only.
control_socket_disable = True

# Not preloaded: each worker opens its own database pool and broker connection after the
# fork; sockets inherited from a master process would be shared between workers.
preload_app = False


# With PROMETHEUS_MULTIPROC_DIR set, /metrics adds up every worker's counters
# (portico/observe.py): the folder starts empty, and a worker that exits is marked dead.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
