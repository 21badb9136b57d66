"""The Prometheus metrics every Portico process counts (the gauges read at each scrape: observe.py)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

http_requests = Counter("portico_http_requests_total", "HTTP requests answered", ["endpoint", "method", "status"])
http_latency = Histogram(
    "portico_http_request_duration_seconds",
    "HTTP request latency",
    ["endpoint"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
events_published = Counter("portico_events_published_total", "Events confirmed by the broker", ["type"])
events_unroutable = Counter(
    "portico_events_unroutable_total", "Events the broker returned: no queue is bound for them", ["type"]
)
events_consumed = Counter(
    "portico_events_consumed_total", "Events taken from the queue, by outcome", ["type", "outcome"]
)
events_dead_lettered = Counter("portico_events_dead_lettered_total", "Events dead-lettered by the consumer", ["reason"])
handler_latency = Histogram(
    "portico_event_handler_duration_seconds",
    "Time from delivery to commit of an event's effect",
    ["type"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
)
