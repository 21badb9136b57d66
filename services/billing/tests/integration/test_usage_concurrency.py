"""Workers counting the same samples at once still count each once and fire each threshold once."""

import random
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from billing.models import GB, UsageCounter, UsageThreshold
from billing.usage import Sample, record_usage

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CAP_10GB = {"download_mbps": 100, "upload_mbps": 20, "limit": {"type": "cap", "traffic_gb": 10}}


def test_six_workers_recording_the_same_twelve_samples(db, make_customer, make_plan, make_service, outbox_events):
    plan = make_plan("internet", name="Capped", internet=CAP_10GB)
    service_id = make_service(make_customer()["id"], plan["id"])["id"]
    samples = [
        Sample(service_id, f"s{n}", NOW - timedelta(minutes=n + 1), NOW - timedelta(minutes=n), GB, 0)
        for n in range(12)
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def worker(seed: int) -> None:
        mine = samples[:]
        random.Random(seed).shuffle(mine)
        start.wait()
        try:
            for each in mine:
                with db.transaction() as session:
                    record_usage(session, each, now=NOW)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    with db.reading() as session:
        [counter] = session.scalars(select(UsageCounter)).all()
        percents = sorted(session.scalars(select(UsageThreshold.percent)))
    assert counter.used_bytes == 12 * GB
    assert percents == [80, 100]
    assert sorted(e["data"]["percent"] for e in outbox_events("billing.usage.threshold_reached")) == [80, 100]
