"""One service's consumer scaled out: events/s with 1, 2 and 3 worker processes on one queue.

`make bench-scale` runs it on PostgreSQL (the production database, where workers write side by
side) and on SQLite (the embedded default: one writer at a time, so a second worker process
cannot add throughput; scale SQLite installations up, not out). For each number of worker
processes (1, 2, 3; --workers), on a fresh RabbitMQ virtual host and a fresh database of
ticketing (SQLite by default; `--backend postgresql` for a throw-away database on the local
PostgreSQL server):
  - `python -m ticketing.migrate` (the schema, and ticketing's quorum queue with its bindings);
  - K `billing.customer.created` events (default 4,000, one per customer) published the way
    billing's outbox relay does (the kit's ConfirmingPublisher) into that queue, no worker running;
  - the worker processes, `python -m ticketing.worker` as deployed (prefetch 50), started while
    the benchmark holds a lock that keeps them from writing (SQLite: the database's write lock;
    PostgreSQL: an EXCLUSIVE lock on the inbox), so each one's first batch waits in its
    transaction; once every one of them consumes, the lock is released and the clock starts;
  - the clock stops when ticketing's inbox holds K rows (polled every 10 ms).
Each configuration runs --repeat times (3), interleaved. It prints per configuration the median
events/s and the range, the CPU the worker processes used meanwhile (in cores: how far they were
from the CPU limit), each process's share (from the consumer's log line per acked event), the
2-worker/1-worker ratio against the target >= 1.3x, and whether every effect happened exactly
once: K inbox rows with K distinct event ids, K customers in the replica, each event acked by
one process once, never as a duplicate, and every worker exited 0 on SIGTERM. The broker, the
database and the workers share this machine's cores (printed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from bench_events import customer

from portico.events import new_event
from portico.events.publisher import ConfirmingPublisher, OutgoingEvent

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVICE, PACKAGE = "ticketing", "ticketing"
EVENT_TYPE = "billing.customer.created"


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


@contextlib.contextmanager
def vhost():
    name = f"portico-bench-{uuid.uuid4().hex[:8]}"
    rabbitmqctl("add_vhost", name)
    rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{name}"
    finally:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False, capture_output=True)


def environment(broker: str, database_url: str, var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env.update(BROKER_URL=broker, TICKETING_DATABASE_URL=database_url, PORTICO_VAR_DIR=str(var))
    return env


def preload(broker: str, count: int) -> None:
    events = []
    for n in range(count):
        event = new_event("billing", EVENT_TYPE, customer(n + 1))
        events.append(OutgoingEvent(n + 1, event.id, event.type, event.to_json(), event.correlation_id))
    publisher = ConfirmingPublisher(broker)
    try:
        confirmed = publisher.publish(events)
    finally:
        publisher.close()
    if len(confirmed) != count:
        raise SystemExit(f"the broker confirmed {len(confirmed)} of {count} events")


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU seconds the processes used so far (Linux's /proc), else None."""
    try:
        total = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def acked(log: Path) -> list[tuple[str, str]]:
    """(event id, outcome) of every event the worker acked, from its log."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            parts = entry.get("message", "").split()
            if entry.get("logger") == "portico.events.consumer" and len(parts) == 3 and parts[0] == EVENT_TYPE:
                found.append((parts[1], parts[2]))
    return found


class SqliteDatabase:
    def __init__(self, folder: Path):
        self.path = folder / "ticketing.db"
        self.url = f"sqlite:///{self.path}"

    @contextlib.contextmanager
    def session(self):
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None, timeout=10)) as connection:
            self.connection = connection
            yield self

    def hold_writes(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")  # the workers' transactions wait for it (10 s at most)

    def release(self) -> None:
        self.connection.execute("ROLLBACK")

    def column(self, sql: str) -> list:
        return [r[0] for r in self.connection.execute(sql)]


class PostgresDatabase:
    def __init__(self, url: str):
        self.url = url

    @contextlib.contextmanager
    def session(self):
        from sqlalchemy import create_engine

        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as self.connection:
            yield self
        engine.dispose()

    def hold_writes(self) -> None:
        self.connection.exec_driver_sql("BEGIN")
        self.connection.exec_driver_sql("LOCK TABLE inbox IN EXCLUSIVE MODE")  # reads go on, inserts wait

    def release(self) -> None:
        self.connection.exec_driver_sql("ROLLBACK")

    def column(self, sql: str) -> list:
        return [r[0] for r in self.connection.exec_driver_sql(sql)]


@contextlib.contextmanager
def database(backend: str, folder: Path):
    if backend == "sqlite":
        yield SqliteDatabase(folder)
        return
    from portico.testing import throwaway_postgres

    with throwaway_postgres("portico_bench_scale") as url:
        yield PostgresDatabase(url)


def run(workers: int, count: int, backend: str, tmp: Path) -> dict:
    folder = tmp / f"{workers}-workers"
    folder.mkdir(parents=True)
    with vhost() as broker, database(backend, folder) as db:
        env = environment(broker, db.url, folder / "var")
        subprocess.run([BIN / "python", "-m", f"{PACKAGE}.migrate"], env=env, cwd=ROOT, check=True)
        preload(broker, count)
        logs = [folder / f"worker-{n}.log" for n in range(1, workers + 1)]
        with db.session():
            db.hold_writes()  # the workers' first batches wait here
            processes = []
            for log in logs:
                with log.open("ab") as out:
                    command = [BIN / "python", "-m", f"{PACKAGE}.worker"]
                    processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out))
            deadline = time.monotonic() + 8  # well within SQLite's 10 s wait for the lock
            while not all('"consuming ' in log.read_text(errors="replace") for log in logs):
                if time.monotonic() > deadline:
                    raise SystemExit("the workers did not all start consuming in time")
                time.sleep(0.02)
            db.release()
            pids = [process.pid for process in processes]
            started, cpu_before = time.perf_counter(), cpu_seconds(pids)
            while db.column("SELECT count(*) FROM inbox")[0] < count:
                if time.perf_counter() - started > 300:
                    raise SystemExit(f"{count} events not consumed in 300 s")
                time.sleep(0.01)
            elapsed, cpu_after = time.perf_counter() - started, cpu_seconds(pids)
            ids = db.column("SELECT event_id FROM inbox")
            customers = db.column("SELECT id FROM customers")
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(30) for process in processes]
    per_process = [acked(log) for log in logs]
    applied = [event_id for events in per_process for event_id, _ in events]
    outcomes = Counter(outcome for events in per_process for _, outcome in events)
    once = (
        len(ids) == len(set(ids)) == count
        and sorted(customers) == list(range(1, count + 1))
        and sorted(applied) == sorted(ids)
        and outcomes == {"handled": count}
    )
    return {
        "workers": workers,
        "rate": count / elapsed,
        "seconds": elapsed,
        "worker cores": (cpu_after - cpu_before) / elapsed
        if cpu_before is not None and cpu_after is not None
        else None,
        "shares": [len(events) for events in per_process],
        "once": once,
        "exit codes": codes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration (the median is reported)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    runs: dict[int, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeat):  # interleaved, so a slow spell of the machine hits every configuration
            for n in args.workers:
                runs.setdefault(n, []).append(run(n, args.events, args.backend, Path(tmp) / str(repeat)))
    server = subprocess.run(["rabbitmqctl", "-q", "version"], capture_output=True, text=True).stdout.strip()
    print(
        f"{SERVICE}'s consumer: {args.events} x {EVENT_TYPE} pre-loaded into its quorum queue; RabbitMQ {server}; "
        f"{'SQLite (WAL)' if args.backend == 'sqlite' else 'PostgreSQL'} shared by the workers; "
        f"{os.cpu_count()} cores shared by broker, database and workers; median of {args.repeat} runs"
    )
    print(
        f"{'workers':<9}{'events/s':>10}{'range':>13}{'worker cores':>14}  {'acked per process':<20}"
        f"{'exactly once':<14}exit codes"
    )
    median = {}
    for n, results in runs.items():
        ordered = sorted(results, key=lambda r: r["rate"])
        middle = ordered[len(ordered) // 2]
        median[n] = middle["rate"]
        spread = f"{ordered[0]['rate']:.0f}-{ordered[-1]['rate']:.0f}"
        cores = f"{middle['worker cores']:.2f}" if middle["worker cores"] is not None else "-"
        once = all(r["once"] for r in results)
        codes = sorted({c for r in results for c in r["exit codes"]})
        print(
            f"{n:<9}{middle['rate']:>10.0f}{spread:>13}{cores:>14}  {'/'.join(map(str, middle['shares'])):<20}"
            f"{'yes' if once else 'NO':<14}{','.join(map(str, codes))}"
        )
    for n in (2, 3):
        if 1 in median and n in median:
            ratio = median[n] / median[1]
            target = f" (target >= 1.3x: {'met' if ratio >= 1.3 else 'MISSED'})" if n == 2 else ""
            print(f"{n} workers / 1 worker: {ratio:.2f}x{target}")
    ok = all(r["once"] and set(r["exit codes"]) == {0} for results in runs.values() for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
