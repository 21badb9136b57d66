"""Financial PDFs: rendering by the worker's handler beside bare xhtml2pdf, and downloads through the app.

`make bench-documents` prints:
  - PDF time p50 of a one-page and a five-page invoice three ways, back to back in a rotating
    order in the same run: bare `pisa.CreatePDF` on the HTML; Portico's render (the partner's
    branding and template looked up, sandboxed Jinja, xhtml2pdf); and the whole handler path
    (the worker's `billing.invoice.issued` handler in one database transaction: the render, blob
    store, row, outbox event, commit); with each one's ratio to bare (target: render <= 1.1 x);
  - PDFs rendered per second by one worker: the handler path back to back, and the kit's
    consumer taking `billing.invoice.issued` events from RabbitMQ (a throw-away virtual host;
    skipped when rabbitmqctl is not there);
  - a stored PDF's download p50/p99 through the app (Flask test client, customer token,
    database lookup and file), target p50 <= 5 ms.
SQLite database and blob store in a temporary directory.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pika
from pypdf import PdfReader
from sqlalchemy import func, select
from xhtml2pdf import pisa

from documents.app import create_app
from documents.financial import invoice_source, render_source
from documents.handlers import handlers
from documents.models import FinancialDocument, inbox
from documents.pdf_context import bill_context
from documents.rendering import POLICY, builtin_template, render_html
from documents.samples import sample_invoice
from documents.storage import storage_for
from documents.worker import DEFAULT_PREFETCH
from portico.auth import customer_token
from portico.db import Database
from portico.events import new_event
from portico.events.consumer import ConsumerOptions, EventConsumer
from portico.events.envelope import utc_now_rfc3339
from portico.migrations import upgrade
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "documents" / "migrations"
ONE_PAGE_LINES = 6
FIVE_PAGE_LINES = 160
CUSTOMER = 7


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def invoice(number: str, lines: int) -> dict:
    return sample_invoice(customer_id=CUSTOMER, partner_id=1, number=number, lines=lines)


def bare_pdf(html: str) -> bytes:
    """xhtml2pdf alone, as an application without Portico would call it (same resource policy)."""
    output = io.BytesIO()
    pisa.CreatePDF(html, dest=output, encoding="utf-8", resource_policy=POLICY)
    return output.getvalue()


def html_of(data: dict) -> str:
    """The HTML the handler renders for this invoice (the built-in template, partner 1 without branding)."""
    from documents.branding import branding_context

    context = {**bill_context("invoice", data), "partner": branding_context(None, 1, None)}
    return render_html(builtin_template("invoice"), context)


class Bench:
    def __init__(self, tmp: Path):
        self.url = f"sqlite:///{tmp / 'documents.db'}"
        upgrade(MIGRATIONS, self.url)
        self.settings = load_settings(
            "documents", database_url=self.url, DOCUMENTS_OUTBOX_RELAY="off", DOCUMENTS_BLOB_DIR=str(tmp / "blobs")
        )
        self.db = Database(self.url)
        self.handler = handlers(self.settings)["billing.invoice.issued"]
        self.storage = storage_for(self.settings)

    def handle(self, data: dict) -> None:
        """What the worker does for one event: its handler in a transaction, committed."""
        event = new_event("billing", "billing.invoice.issued", data)
        with self.db.transaction() as session:
            self.handler(session, event)

    def render(self, source) -> bytes:
        """Portico's rendering alone: the partner's branding and template looked up, then the PDF."""
        with self.db.reading() as session:
            return render_source(session, self.storage, source)

    def pages_of(self, number: str) -> int:
        with self.db.reading() as session:
            sha = session.scalars(select(FinancialDocument.sha256).where(FinancialDocument.number == number)).one()
        blob = Path(self.settings.get("blob_dir")) / sha[:2] / sha[2:4] / sha
        return len(PdfReader(io.BytesIO(blob.read_bytes())).pages)


def timed(action) -> float:
    gc.collect()  # a collection left over from the other path is not charged to this one
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@dataclass
class RenderFigures:
    pages: int
    bare: float  # p50 seconds: pisa.CreatePDF on the HTML
    render: float  # p50 seconds: Portico's render (branding, template, sandboxed Jinja, xhtml2pdf)
    handler: float  # p50 seconds: the whole handler (render + blob + row + event + commit)
    render_ratio: float  # p50 over rounds of render / bare
    handler_ratio: float  # p50 over rounds of handler / bare


def render_times(bench: Bench, name: str, lines: int, rounds: int) -> RenderFigures:
    """Each round renders one invoice three ways back to back, in a rotating order."""
    times: dict[str, list[float]] = {"bare": [], "render": [], "handler": []}
    for i in range(rounds + 1):  # the first round warms caches and is not counted
        data = invoice(f"{name}-{i}", lines)
        html = html_of(data)
        source = invoice_source(data)
        actions = {
            "bare": lambda html=html: bare_pdf(html),
            "render": lambda source=source: bench.render(source),
            "handler": lambda data=data: bench.handle(data),
        }
        order = list(actions)[i % 3 :] + list(actions)[: i % 3]
        spent = {path: timed(actions[path]) for path in order}
        if i:
            for path, seconds in spent.items():
                times[path].append(seconds)
    ratios = {
        path: statistics.median(t / b for t, b in zip(times[path], times["bare"], strict=True))
        for path in ("render", "handler")
    }
    return RenderFigures(
        pages=bench.pages_of(f"{name}-0"),
        bare=statistics.median(times["bare"]),
        render=statistics.median(times["render"]),
        handler=statistics.median(times["handler"]),
        render_ratio=ratios["render"],
        handler_ratio=ratios["handler"],
    )


def throughputs(bench: Bench, n: int) -> tuple[float, float]:
    """One-page PDFs/s back to back: bare xhtml2pdf, then the handler path, on the same invoices."""
    events = [invoice(f"T-{i}", ONE_PAGE_LINES) for i in range(n)]
    pages = [html_of(data) for data in events]
    started = time.perf_counter()
    for html in pages:
        bare_pdf(html)
    bare = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for data in events:
        bench.handle(data)
    return bare, n / (time.perf_counter() - started)


def worker_throughput(bench: Bench, n: int) -> float | None:
    """PDFs/s of the kit's consumer running the worker's handlers, events published with pika beforehand."""
    if shutil.which("rabbitmqctl") is None:
        return None
    vhost = f"portico-bench-{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True)
    broker = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        consumer = EventConsumer(
            "documents",
            bench.db,
            inbox,
            handlers(bench.settings),
            broker,
            ConsumerOptions(prefetch=int(DEFAULT_PREFETCH)),
        )
        # Declare the queue (as `migrate` does), publish everything, then let one worker drain it.
        from kombu import Connection

        from portico.events.topology import declare_service_topology

        with Connection(broker) as connection:
            declare_service_topology(connection.channel(), "documents", consumer.handlers.keys())
        publish(broker, [invoice(f"W-{i}", ONE_PAGE_LINES) for i in range(n)])
        with bench.db.reading() as session:
            before = session.scalar(select(func.count()).select_from(FinancialDocument))
        thread = threading.Thread(target=consumer.run, daemon=True)
        started = time.perf_counter()
        thread.start()
        while True:
            with bench.db.reading() as session:
                done = session.scalar(select(func.count()).select_from(FinancialDocument)) - before
            if done >= n:
                break
            if time.perf_counter() - started > 600:
                raise RuntimeError(f"only {done} of {n} rendered after 600 s")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        consumer.stop()
        thread.join(30)
        return n / elapsed
    finally:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False)


def publish(broker: str, invoices: list[dict]) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(broker))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for data in invoices:
            event_id = str(uuid.uuid4())
            body = {
                "id": event_id,
                "type": "billing.invoice.issued",
                "version": 1,
                "occurred_at": utc_now_rfc3339(),
                "producer": "billing",
                "correlation_id": event_id,
                "causation_id": None,
                "data": data,
            }
            channel.basic_publish(
                "portico.events",
                "billing.invoice.issued",
                json.dumps(body).encode(),
                pika.BasicProperties(
                    message_id=event_id, type=body["type"], content_type="application/json", delivery_mode=2
                ),
                mandatory=True,
            )
    finally:
        connection.close()


def download_times(bench: Bench, requests: int) -> list[float]:
    bench.handle(invoice("D-1", ONE_PAGE_LINES))
    app = create_app(bench.settings)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {customer_token(bench.settings.jwt_secret, CUSTOMER, ttl=3600)}"}
    url = f"/v1/customers/{CUSTOMER}/financial-documents/invoice/D-1/file"
    assert client.get(url, headers=headers).data.startswith(b"%PDF")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        response.get_data()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    app.extensions["portico.db"].dispose()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40, help="one-page renders per path (five-page: a third)")
    parser.add_argument("--worker-events", type=int, default=60)
    parser.add_argument("--downloads", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp))
        one = render_times(bench, "ONE", ONE_PAGE_LINES, args.runs)
        five = render_times(bench, "FIVE", FIVE_PAGE_LINES, max(5, args.runs // 3))
        bare_rate, handler_rate = throughputs(bench, args.runs)
        worker_rate = worker_throughput(bench, args.worker_events)
        downloads = download_times(bench, args.downloads)
        bench.db.dispose()

    print("PDF time p50 in ms: bare xhtml2pdf on the HTML; Portico's render (branding and template lookup,")
    print("sandboxed Jinja, xhtml2pdf); the whole handler (render + blob store + row + event + commit)")
    print(f"{'invoice':<24}{'pages':>6}{'bare':>9}{'render':>9}{'ratio':>7}{'handler':>9}{'ratio':>7}")
    for name, figures in (("one page (6 lines)", one), (f"five pages ({FIVE_PAGE_LINES} lines)", five)):
        print(
            f"{name:<24}{figures.pages:>6}{figures.bare * 1000:>9.1f}{figures.render * 1000:>9.1f}"
            f"{figures.render_ratio:>7.3f}{figures.handler * 1000:>9.1f}{figures.handler_ratio:>7.3f}"
        )
    print("(ratio: the p50 over rounds of that path's time / bare's, the three rendered back to back)")
    print(f"one-page PDFs/s, one process: bare xhtml2pdf {bare_rate:.1f}; handler path {handler_rate:.1f}", end="")
    print(f"; worker consuming from RabbitMQ {worker_rate:.1f}" if worker_rate else "; worker: no rabbitmqctl, skipped")
    p50, p99 = statistics.median(downloads) * 1000, percentile(downloads, 99) * 1000
    print(f"stored PDF download through the app ({len(downloads)} requests): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    worst = max(one.render_ratio, five.render_ratio)
    print(f"targets: render <= 1.10 x bare: {'met' if worst <= 1.10 else 'MISSED'} ({worst:.3f}); ", end="")
    print(f"download p50 <= 5 ms: {'met' if p50 <= 5 else 'MISSED'} ({p50:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
