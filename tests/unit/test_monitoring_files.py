"""deploy/'s Prometheus rules and Grafana dashboard read only series the app exposes
(a renamed series would otherwise leave an alert silently empty)."""

from __future__ import annotations

import json
import re

import yaml

from wfm_app.observability import metrics
from wfm_app.settings import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
# what figures.collect() adds at scrape time, besides the module's own series
SCRAPED = {
    "wfm_outbox_pending",
    "wfm_outbox_oldest_age_seconds",
    "wfm_outbox_failed",
    "wfm_timers_due",
    "wfm_workflow_cards",
    "wfm_workflow_moves_last_day",
    "wfm_workflow_step_mean_seconds",
}
# series of other jobs (the blackbox exporter) and Prometheus's own
OTHERS = {"probe_success"}


def exposed() -> set[str]:
    names = set(SCRAPED)
    for value in vars(metrics).values():
        describe = getattr(value, "describe", None)
        if callable(describe) and hasattr(value, "_name"):
            for family in describe():
                kind, base = family.type, family.name
                names.add(base)
                if kind == "counter":
                    names.add(f"{base}_total")
                if kind == "histogram":
                    names |= {f"{base}_bucket", f"{base}_count", f"{base}_sum"}
    return names


def series_in(expression: str) -> set[str]:
    return set(re.findall(r"\b(wfm_[a-z0-9_]+|probe_[a-z_]+)\b", expression))


def test_the_alert_rules_use_exposed_series_only():
    rules = yaml.safe_load((DEPLOY / "alerts.yml").read_text())["groups"][0]["rules"]
    names = {rule["alert"] for rule in rules}
    assert {"WfmMovesSlow", "WfmOutboxBacklog", "WfmWorkerHeartbeatMissing", "WfmNotReady"} <= names
    for rule in rules:
        assert series_in(rule["expr"]) - exposed() - OTHERS == set(), rule["alert"]


def test_the_dashboard_uses_exposed_series_only():
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    expressions = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    assert len(expressions) >= 15
    used = set().union(*(series_in(e) for e in expressions))
    assert used - exposed() == set()
    assert {"wfm_operations_total", "wfm_outbox_pending", "wfm_live_sockets"} <= used


def test_prometheus_loads_the_rules_file():
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    assert {job["job_name"] for job in config["scrape_configs"]} == {"wfm", "wfm-readyz"}
