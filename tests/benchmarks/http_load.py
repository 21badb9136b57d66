"""Load for the HTTP benchmarks: a service under gunicorn with the repository's settings, and
wrk (or, where wrk is missing, a pool of Python threads) driving GET requests at it."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    app: str, env: dict[str, str], port: int, workers: int, threads: int, worker_class: str = "gthread"
) -> subprocess.Popen:
    """`app` ("billing.app:create_app()") under gunicorn on `port`, once /healthz answers."""
    env = os.environ | env | {"PORT": str(port), "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    env["GUNICORN_WORKER_CLASS"] = worker_class
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), app]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_cpu_seconds(server: subprocess.Popen) -> float | None:
    """CPU time gunicorn's workers have used so far (Linux), or None where it cannot be read.

    Divided by the requests of a run, it is what one request costs the server: unlike latency,
    it barely moves when other work shares the machine.
    """
    total = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            if int(fields[1]) == server.pid:  # its parent: a worker of this server
                total += int(fields[11]) + int(fields[12])  # user and system clock ticks
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def measured(load, server: subprocess.Popen, *args) -> dict:
    """A load run, with the server's CPU time per request where it can be read."""
    before = server_cpu_seconds(server)
    result = load(*args)
    after = server_cpu_seconds(server)
    if before is not None and after is not None and result["requests"]:
        result["cpu_ms"] = (after - before) / result["requests"] * 1000
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


WRK_SCRIPT = """
local paths = {%s}
local token = "%s"
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Authorization"] = "Bearer " .. token})
end
"""


def run_wrk(base: str, paths: list[str], token: str, clients: int, seconds: int, folder: Path) -> dict:
    script = folder / "paths.lua"
    script.write_text(WRK_SCRIPT % (", ".join(json.dumps(p) for p in paths), token, 7))
    command = ["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{errors.group(1)} requests failed:\n{output}")

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {
        "tool": "wrk",
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
    }


def run_threads(base: str, paths: list[str], token: str, clients: int, seconds: int, folder: Path) -> dict:
    """The fallback load generator: `clients` threads, each with its own keep-alive session."""
    latencies: list[float] = []
    failures = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        mine = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            response = session.get(base + rng.choice(paths), timeout=10)
            mine.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                failures.append(response.status_code)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed: {sorted(set(failures))}")
    return {
        "tool": "python threads",
        "requests": len(latencies),
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 99),
        "rps": len(latencies) / elapsed,
    }


def add_load_arguments(parser) -> None:
    """The options every HTTP bench takes: the load, and the server as deployed (Procfile, docker-compose.yml)."""
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20)
    # Short database reads: one sync worker per core (deploy/gunicorn.conf.py says why).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--tool", choices=("auto", "wrk", "threads"), default="auto")
    # On a machine shared with other work the figures vary from run to run: report them all.
    parser.add_argument("--runs", type=int, default=1, help="repeat the timed runs, e.g. 3 on a shared machine")


def load_tool(choice: str):
    """The load generator `choice` names ("auto": wrk where installed, else threads)."""
    if choice == "auto":
        choice = "wrk" if shutil.which("wrk") else "threads"
    return run_wrk if choice == "wrk" else run_threads


def report(title: str, results: list[tuple[int, dict]], target_p99_ms: float) -> None:
    """Print each run, and over several runs of the same load the best and the spread."""
    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{title}, {os.cpu_count()} CPUs (load average {load_average}):")
    for clients, result in results:
        verdict = "met" if result["p99"] <= target_p99_ms else "MISSED"
        cpu = f"  server CPU {result['cpu_ms']:.2f} ms/request" if "cpu_ms" in result else ""
        print(
            f"  {clients:>3} clients ({result['tool']}): {result['requests']:,} requests  p50 {result['p50']:.1f} ms  "
            f"p99 {result['p99']:.1f} ms  {result['rps']:.0f} req/s{cpu}  (target p99 <= {target_p99_ms:.0f} ms: {verdict})"
        )
    for clients in sorted({clients for clients, _ in results}, reverse=True):
        runs = [result for n, result in results if n == clients]
        if len(runs) > 1:
            p99s, rates = sorted(r["p99"] for r in runs), sorted(r["rps"] for r in runs)
            print(
                f"  {clients:>3} clients over {len(runs)} runs: p99 best {p99s[0]:.1f} ms (to {p99s[-1]:.1f}), "
                f"req/s best {rates[-1]:.0f} (from {rates[0]:.0f})"
            )
