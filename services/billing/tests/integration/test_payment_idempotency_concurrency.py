"""The same Idempotency-Key sent by several operators' retries at once records one payment (truly at once on PostgreSQL)."""

import threading

from sqlalchemy import select

from billing.finance_models import LedgerEntry, Payment

ATTEMPTS = 4


def test_concurrent_requests_with_one_key_record_one_payment(app, operator, make_customer, db):
    customer = make_customer(status="active")
    url = f"/admin/v1/customers/{customer['id']}/payments"
    headers = operator | {"Idempotency-Key": "same-key"}
    body = {"amount": "12.50", "method": "cash"}
    start = threading.Barrier(ATTEMPTS)
    answers: list[tuple[int, dict]] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        response = client.post(url, json=body, headers=headers)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Each retry either replays the first answer or, while the first is still running, is told to retry.
    assert {status for status, _ in answers} <= {201, 409}
    recorded = [body for status, body in answers if status == 201]
    assert recorded and all(body == recorded[0] for body in recorded)
    with db.reading() as session:
        assert len(session.scalars(select(Payment.id)).all()) == 1
        assert len(session.scalars(select(LedgerEntry.id)).all()) == 1
