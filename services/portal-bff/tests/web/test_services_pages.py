"""The Services pages: services and hardware, statistics drawn as SVG on the server, the live graph,
ordering and changing plans with the price preview, and the speedtest's server side."""

import re
from datetime import UTC, datetime, timedelta

from portico.events import new_event

ORDERING = {"services": {"allow_order_new_products": True, "allow_plan_change": True}}


def traffic(seed, service_id: int, *, minutes_ago: int = 5, bytes_in: int = 750_000_000) -> None:
    """The network reports a minute of traffic (as the counters' collector would)."""
    from billing.handlers import HANDLERS

    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    data = {
        "service_id": service_id,
        "sample_id": f"s-{minutes_ago}",
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(minutes=1)).isoformat(),
        "bytes_in": bytes_in,
        "bytes_out": bytes_in // 5,
    }
    with seed.suite["billing"].db.transaction() as session:
        HANDLERS["network.usage.recorded"](session, new_event("network", "network.usage.recorded", data))


def test_services_and_hardware_with_their_status(jane, customer, seed):
    fibre = seed.internet_service(customer["id"], description="Home fibre")
    seed.online(fibre["id"])
    seed.hardware(customer["id"], product_name="Router AX3000", serial="RX-42")

    page = jane.text("/services")

    assert re.search(rf'data-service="{fibre["id"]}">.*?Home fibre.*?Online', page, re.S)
    assert "Router AX3000" in page and "RX-42" in page and "Rented" in page
    assert "Order new products" not in page and "Change plan" not in page  # off unless the config offers them


def test_statistics_and_the_live_graph_are_svg_drawn_on_the_server(jane, customer, seed):
    fibre = seed.internet_service(customer["id"], description="Home fibre", cap_gb=100)
    traffic(seed, fibre["id"])

    page = jane.text(f"/services/{fibre['id']}/statistics")
    chart_url = re.search(r'<img class="chart" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    chart = jane.get(chart_url)
    live = jane.get(f"/services/{fibre['id']}/live.svg?minutes=15")

    assert "Traffic limits (CAP/FUP)" in page and "of 100 GB" in page
    assert chart.mimetype == "image/svg+xml" and b"<svg" in chart.data and b"<script" not in chart.data
    assert "script-src" not in chart.headers["Content-Security-Policy"]
    assert live.status_code == 200 and b"Bandwidth (Mbps)" in live.data and b"kozea.github.io" not in live.data
    assert jane.get(f"/services/{fibre['id']}/live?minutes=60").status_code == 200


def test_ordering_a_product_shows_the_price_first(jane, customer, seed, configure):
    configure(customer["partner_id"], ORDERING)
    plan = seed.admin(
        "billing",
        "POST",
        "/admin/v1/plans",
        json={
            "kind": "internet",
            "name": "Fibre 900",
            "price": "45.00",
            "self_service": True,
            "internet": {"download_mbps": 900, "upload_mbps": 100, "limit": None},
        },
    ).json()

    offers = jane.text("/services/order")
    preview = jane.post("/services/order/preview", {"plan_id": str(plan["id"]), "quantity": "1"})
    key = re.search(r'name="idempotency_key" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    ordered = jane.post("/services/order", {"plan_id": str(plan["id"]), "quantity": "1", "idempotency_key": key})
    again = jane.post("/services/order", {"plan_id": str(plan["id"]), "quantity": "1", "idempotency_key": key})

    assert "Fibre 900" in offers and "€45.00 a month" in offers
    assert "To pay now" in preview.get_data(as_text=True) and "Confirm the order" in preview.get_data(as_text=True)
    assert ordered.headers["Location"] == "/services?notice=order_completed"
    assert again.status_code == 303  # the same form sent twice orders once
    assert jane.text("/services").count("data-service=") == 1


def test_changing_a_plan_previews_the_proration(jane, customer, seed, configure):
    configure(customer["partner_id"], ORDERING)
    started = (datetime.now(UTC).date() - timedelta(days=10)).isoformat()
    fibre = seed.internet_service(customer["id"], description="Home fibre", start_date=started)
    plan = seed.admin(
        "billing",
        "POST",
        "/admin/v1/plans",
        json={
            "kind": "internet",
            "name": "Fibre 900",
            "price": "45.00",
            "self_service": True,
            "internet": {"download_mbps": 900, "upload_mbps": 100, "limit": None},
        },
    ).json()

    choices = jane.text(f"/services/{fibre['id']}/change-plan")
    preview = jane.post(f"/services/{fibre['id']}/change-plan/preview", {"plan_id": str(plan["id"])}).get_data(
        as_text=True
    )

    assert "Fibre 900" in choices
    assert "Rest of this billing period" in preview and "Confirm the change" in preview


def test_ordering_is_404_where_the_config_does_not_offer_it(jane):
    assert jane.get("/services/order").status_code == 404


def test_the_speedtest_measures_against_the_portal(jane):
    page = jane.text("/services/speedtest")

    ping = jane.get("/speedtest/ping")
    download = jane.get("/speedtest/download?bytes=200000")
    upload = jane.client.post(
        "/speedtest/upload",
        data=b"x" * 100_000,
        headers={"X-CSRF-Token": jane.token, "Content-Type": "application/octet-stream"},
    )

    assert "Your IP address" in page and "127.0.0.1" in page
    assert ping.status_code == 204 and ping.headers["Cache-Control"] == "no-store"
    assert len(download.data) == 200_000
    assert upload.get_json() == {"bytes": 100_000}
