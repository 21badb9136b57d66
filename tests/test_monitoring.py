"""The monitoring kit (deploy/monitoring): the alert rules and the Grafana dashboard parse,
every query is valid PromQL over the metrics the services export (the contract below), and
the scrape job turns the pods of deploy/k8s into the `job` names the rules group by."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import promql_parser
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
MONITORING = REPO_ROOT / "deploy" / "monitoring"
RULES = MONITORING / "prometheus-rules.yaml"
RULE_TESTS = MONITORING / "prometheus-rules.test.yaml"  # promtool's unit tests of the alerts
DASHBOARD = MONITORING / "grafana-dashboard.json"
SCRAPE = MONITORING / "prometheus-scrape.yaml"
K8S_DIR = REPO_ROOT / "deploy" / "k8s"

# The metrics Portico's processes export (libs/portico/portico/metrics.py and observe.py):
# name -> (type, labels). Rules and dashboards may use these and nothing else.
METRICS = {
    "portico_http_requests_total": ("counter", {"endpoint", "method", "status"}),
    "portico_http_request_duration_seconds": ("histogram", {"endpoint"}),
    "portico_events_published_total": ("counter", {"type"}),
    "portico_events_unroutable_total": ("counter", {"type"}),
    "portico_events_consumed_total": ("counter", {"type", "outcome"}),
    "portico_events_dead_lettered_total": ("counter", {"reason"}),
    "portico_event_handler_duration_seconds": ("histogram", {"type"}),
    "portico_outbox_backlog": ("gauge", {"service"}),
    "portico_outbox_oldest_age_seconds": ("gauge", {"service"}),
    "portico_queue_messages": ("gauge", {"service", "queue"}),
    "portico_queue_consumers": ("gauge", {"service", "queue"}),
    "portico_dead_letters": ("gauge", {"service", "queue"}),
}
# What Prometheus itself adds: the `up` series of each target, and the target labels.
PROMETHEUS_SERIES = {"up": set()}
TARGET_LABELS = {"job", "instance", "namespace", "pod"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

# alert -> the metrics its expression must watch, and how long it must hold first.
REQUIRED_ALERTS = {
    "OutboxBacklogGrowing": ({"portico_outbox_backlog", "portico_outbox_oldest_age_seconds"}, "10m"),
    "DeadLetters": ({"portico_dead_letters"}, None),
    "High5xxRate": ({"portico_http_requests_total"}, "5m"),
    "ConsumerDown": ({"portico_queue_consumers", "up"}, "5m"),
    "ConsumerLagHigh": ({"portico_queue_messages"}, "10m"),
}
SEVERITIES = {"info", "warning", "critical"}

# What the dashboard must show: each of these series in some panel's query.
DASHBOARD_SERIES = {
    "portico_http_requests_total",
    "portico_http_request_duration_seconds_bucket",
    "portico_outbox_backlog",
    "portico_outbox_oldest_age_seconds",
    "portico_queue_messages",
    "portico_queue_consumers",
    "portico_event_handler_duration_seconds_bucket",
    "portico_events_consumed_total",
    "portico_dead_letters",
}
# Grafana's own variables, replaced by durations before a query reaches Prometheus.
GRAFANA_DURATIONS = {"$__rate_interval": "1m", "$__interval": "30s", "$__range": "1h"}


def known_series() -> dict[str, set[str]]:
    """Every series name a query may select, with the labels it carries."""
    series = dict(PROMETHEUS_SERIES)
    for name, (kind, labels) in METRICS.items():
        if kind == "histogram":
            series |= {f"{name}_bucket": labels | {"le"}, f"{name}_sum": labels, f"{name}_count": labels}
        else:
            series[name] = labels
    return series


def selectors(expr: str) -> list[tuple[str, set[str]]]:
    """(series name, label names matched) of every selector in a PromQL expression; raises
    ValueError when the expression is not valid PromQL."""
    for variable, duration in GRAFANA_DURATIONS.items():
        expr = expr.replace(variable, duration)
    found = []

    def visit(node):
        if isinstance(node, promql_parser.VectorSelector):
            found.append((node.name, {matcher.name for matcher in node.matchers.matchers}))

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def assert_uses_known_metrics(expr: str, where: str) -> set[str]:
    series = known_series()
    names = set()
    for name, labels in selectors(expr):
        assert name, f"{where}: a selector without a metric name in {expr!r}"
        assert name in series, f"{where}: {name} is not a metric Portico exports"
        unknown = labels - series[name] - TARGET_LABELS
        assert not unknown, f"{where}: {name} has no label {unknown}"
        names.add(name)
    return names


@pytest.fixture(scope="module")
def rules() -> list[dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    assert groups, "no rule groups"
    return [rule for group in groups for rule in group["rules"]]


@pytest.fixture(scope="module")
def alerts(rules) -> dict[str, dict]:
    named = [rule["alert"] for rule in rules if "alert" in rule]
    assert len(named) == len(set(named)), "two alerts share a name"
    return {rule["alert"]: rule for rule in rules if "alert" in rule}


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def panels(dashboard: dict) -> list[dict]:
    """Every panel, those inside collapsed rows included."""
    found = []
    for panel in dashboard["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return found


# ---- the rules --------------------------------------------------------------------------


def test_rule_groups_are_named_uniquely():
    groups = yaml.safe_load(RULES.read_text())["groups"]
    names = [group["name"] for group in groups]
    assert len(names) == len(set(names))


def test_every_alert_has_an_expression_a_duration_a_severity_and_a_summary(alerts):
    assert alerts, "no alerts"
    for name, rule in alerts.items():
        assert rule.get("expr", "").strip(), f"{name}: no expr"
        assert re.fullmatch(r"\d+[smh]", str(rule.get("for", ""))), f"{name}: for {rule.get('for')!r}"
        assert rule.get("labels", {}).get("severity") in SEVERITIES, f"{name}: severity"
        assert rule.get("annotations", {}).get("summary", "").strip(), f"{name}: no summary"


@pytest.mark.parametrize("alert", REQUIRED_ALERTS)
def test_each_required_alert_watches_its_metrics(alerts, alert):
    assert alert in alerts, f"no alert {alert}"
    metrics, duration = REQUIRED_ALERTS[alert]
    used = assert_uses_known_metrics(alerts[alert]["expr"], alert)
    assert metrics <= used, f"{alert} does not watch {metrics - used}"
    if duration:
        assert alerts[alert]["for"] == duration


def test_every_rule_expression_is_promql_over_known_metrics(rules):
    for rule in rules:
        where = rule.get("alert") or rule.get("record")
        assert assert_uses_known_metrics(rule["expr"], where), f"{where} selects no metric"


def test_high_5xx_rate_is_a_ratio_of_5xx_to_all_requests_per_job(alerts):
    expr = alerts["High5xxRate"]["expr"]
    assert re.search(r'status\s*=~\s*"5\.\."', expr)
    assert "by (job)" in expr
    assert re.search(r">\s*0\.05\b", expr)


def test_consumer_down_also_fires_when_a_worker_target_is_down(alerts):
    expr = alerts["ConsumerDown"]["expr"]
    worker_ups = [labels for name, labels in selectors(expr) if name == "up"]
    assert worker_ups and all("job" in labels for labels in worker_ups), "up must be narrowed to the workers"
    assert re.search(r'up\{job=~"\.\+-worker"\}\s*==\s*0', expr)


def test_outbox_alert_needs_both_a_rising_backlog_and_an_old_event(alerts):
    expr = alerts["OutboxBacklogGrowing"]["expr"]
    assert re.search(r"(deriv|delta|increase)\(portico_outbox_backlog\[10m\]\)\)?\s*>\s*0", expr)
    assert re.search(r"portico_outbox_oldest_age_seconds\)?\s*>\s*300", expr)
    assert re.search(r"\band\b", expr), "both conditions, not either"


def test_promtool_unit_tests_cover_every_alert(alerts):
    cases = [case for test in yaml.safe_load(RULE_TESTS.read_text())["tests"] for case in test["alert_rule_test"]]
    firing = {case["alertname"] for case in cases if case.get("exp_alerts")}
    assert set(alerts) <= firing, f"no promtool case where these fire: {set(alerts) - firing}"


def test_promtool_accepts_the_rules_and_their_unit_tests_pass():
    assert shutil.which("promtool"), "promtool is needed: make promtool (Debian's prometheus package)"
    for args in (["check", "rules", str(RULES)], ["test", "rules", str(RULE_TESTS)]):
        result = subprocess.run(["promtool", *args], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


# ---- the dashboard ----------------------------------------------------------------------


def test_dashboard_is_a_grafana_dashboard(dashboard):
    assert dashboard["title"] and dashboard["uid"]
    assert 36 <= dashboard["schemaVersion"] <= 41
    assert dashboard["panels"]


def test_dashboard_panel_ids_are_unique(dashboard):
    ids = [panel["id"] for panel in panels(dashboard)]
    assert len(ids) == len(set(ids)), f"duplicate panel ids: {sorted(ids)}"


def test_every_dashboard_panel_queries_prometheus(dashboard):
    for panel in panels(dashboard):
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets") or []
        assert targets, f"panel {panel['title']!r} has no targets"
        ref_ids = [target["refId"] for target in targets]
        assert len(ref_ids) == len(set(ref_ids)), f"panel {panel['title']!r}: duplicate refIds"
        for target in targets:
            assert target.get("expr", "").strip(), f"panel {panel['title']!r}: a target without a query"
            assert (target.get("datasource") or panel.get("datasource") or {}).get("type") == "prometheus"
        assert {"h", "w", "x", "y"} <= panel.get("gridPos", {}).keys(), f"panel {panel['title']!r}: no gridPos"


def test_every_dashboard_query_is_promql_over_known_metrics(dashboard):
    for panel in panels(dashboard):
        for target in panel.get("targets", []):
            assert_uses_known_metrics(target["expr"], f"panel {panel['title']!r} {target['refId']}")


def test_dashboard_shows_traffic_latency_errors_outbox_queues_handlers_and_dead_letters(dashboard):
    shown = set()
    for panel in panels(dashboard):
        for target in panel.get("targets", []):
            shown |= {name for name, _ in selectors(target["expr"])}
    assert shown >= DASHBOARD_SERIES, f"not on the dashboard: {DASHBOARD_SERIES - shown}"
    queries = " ".join(t["expr"] for p in panels(dashboard) for t in p.get("targets", []))
    assert "histogram_quantile(0.99" in queries, "no p99 latency"
    assert re.search(r'status=~"5\.\."', queries), "no 5xx panel"
    assert re.search(r"by \([^)]*\boutcome\b", queries), "events consumed are not split by outcome"
    assert re.search(r"by \([^)]*\bendpoint\b", queries), "requests are not split by endpoint"


# ---- the scrape job ---------------------------------------------------------------------


def relabel(labels: dict[str, str], configs: list[dict]) -> dict[str, str] | None:
    """Prometheus' relabelling (actions replace and keep), enough to follow the scrape job;
    None when the target is dropped."""
    labels = dict(labels)
    for config in configs:
        value = config.get("separator", ";").join(labels.get(name, "") for name in config.get("source_labels", []))
        match = re.fullmatch(config.get("regex", "(.*)"), value)
        action = config.get("action", "replace")
        if action == "keep":
            if not match:
                return None
        elif action == "replace":
            if match:
                replacement = re.sub(r"\$(\d+)", r"\\\1", config.get("replacement", "$1"))
                labels[config["target_label"]] = match.expand(replacement)
        else:
            raise AssertionError(f"relabel action {action} is not followed by this test")
    return labels


def k8s_pods() -> list[tuple[str, dict]]:
    """(Deployment name, pod template) of every Deployment in deploy/k8s."""
    pods = []
    for path in sorted(K8S_DIR.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document and document["kind"] == "Deployment":
                pods.append((document["metadata"]["name"], document["spec"]["template"]))
    return pods


def scrape_target(pod: dict) -> dict[str, str] | None:
    """What the scrape job makes of a pod of this template, at the address 10.0.0.7:<port>."""
    port = pod["spec"]["containers"][0].get("ports", [{"containerPort": 80}])[0]["containerPort"]
    meta = {"__address__": f"10.0.0.7:{port}", "__metrics_path__": "/metrics", "job": "portico"}
    meta["__meta_kubernetes_namespace"] = "portico"
    meta["__meta_kubernetes_pod_name"] = "pod-1"
    for key, value in pod["metadata"].get("labels", {}).items():
        meta["__meta_kubernetes_pod_label_" + re.sub(r"[^a-zA-Z0-9_]", "_", key)] = value
    for key, value in pod["metadata"].get("annotations", {}).items():
        meta["__meta_kubernetes_pod_annotation_" + re.sub(r"[^a-zA-Z0-9_]", "_", key)] = value
    (job,) = yaml.safe_load(SCRAPE.read_text())["scrape_configs"]
    return relabel(meta, job["relabel_configs"])


def test_the_scrape_job_names_web_and_worker_targets_as_the_rules_expect():
    pods = k8s_pods()
    assert pods, "no Deployments in deploy/k8s"
    for name, pod in pods:
        target = scrape_target(pod)
        assert target, f"{name}: not scraped"
        # The Deployments are named <service> and <service>-worker: the job is the same name.
        assert target["job"] == name
        annotations = pod["metadata"]["annotations"]
        assert target["__address__"] == f"10.0.0.7:{annotations['prometheus.io/port']}"
        assert target["__metrics_path__"] == annotations["prometheus.io/path"]
    workers = [name for name, _ in pods if re.fullmatch(".+-worker", name)]
    assert len(workers) == len(pods) // 2, "the rules tell workers by a job ending in -worker"


def test_the_scrape_job_leaves_unannotated_pods_alone():
    pod = {"metadata": {"labels": {"app.kubernetes.io/name": "x"}}, "spec": {"containers": [{}]}}
    assert scrape_target(pod) is None
