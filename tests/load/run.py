"""Load test: N simulated users (tests/load/locustfile.py) against the app with one and
with three backend worker processes, on PostgreSQL. Prints moves per second (over the
whole run, and "steady": once every user has started, as the ramp-up's first seconds have
fewer users moving), move latency p50/p95, the p95 delay from sending a move to its
change reaching a listening process (what another viewer's open board then applies: add
~10-20 ms for the browser to render it), and checks that no move was lost or written
twice: history holds at least one row per answered move and at most one per move sent
(moves still in flight when locust stops are sent but not answered). "failed (m/c)":
failed moves / failed creates.

    .venv/bin/python -m tests.load.run            # 50 and 200 users, 1 and 3 workers
    WFM_LOAD_USERS=50 WFM_LOAD_WORKERS=1 WFM_LOAD_SECONDS=20 .venv/bin/python -m tests.load.run
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psutil
import psycopg

from tests import harness
from tests.app_fixtures import issue_tokens
from wfm_app.engine import changes
from wfm_app.settings import REPO_ROOT

USERS = [int(n) for n in os.environ.get("WFM_LOAD_USERS", "50,200").split(",")]
WORKERS = [int(n) for n in os.environ.get("WFM_LOAD_WORKERS", "1,3").split(",")]
SECONDS = float(os.environ.get("WFM_LOAD_SECONDS", "30"))


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _listen(dsn: str, heard: dict[tuple[str, str], list[float]], stop: threading.Event) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"LISTEN {changes.CHANNEL}")
        while not stop.is_set():
            for notice in conn.notifies(timeout=0.2):
                change = changes.Change.from_json(notice.payload)
                if change.op == "moved" and change.to_step_id:
                    heard.setdefault((change.entity_id, change.to_step_id), []).append(time.time())


def _cpu_now(app: subprocess.Popen[bytes]) -> tuple[float, float, float]:
    """CPU seconds used so far by the app's processes, by PostgreSQL's and by the
    children this process has waited for (locust)."""
    server = harness.tree_cpu_seconds(psutil.Process(app.pid))
    database = harness.cpu_seconds(
        [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]
    )
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    return server, database, waited.ru_utime + waited.ru_stime


def one_run(users: int, workers: int) -> str:
    issuer, idp = harness.start_identity_provider()
    url = harness.create_database("wfm_load")
    app = None
    stop = threading.Event()
    try:
        harness.prepare_database(url, issuer, demo=False)
        log = Path(tempfile.mkdtemp()) / "reflex.log"
        base_url, app = harness.start_app(
            url, issuer, log, GRANIAN_WORKERS=str(workers), WFM_WEBHOOK_MAX_ATTEMPTS="1"
        )
        os.environ["WFM_LOAD_TOKEN"] = issue_tokens(issuer, "manager")["access_token"]
        with psycopg.connect(_dsn(url)) as conn:
            steps = conn.execute(
                "SELECT s.id FROM workflow_steps s JOIN project_types t "
                "ON t.default_workflow_id = s.workflow_id WHERE t.name = 'Sales Deal' "
                "ORDER BY s.step_order LIMIT 2"
            ).fetchall()
        os.environ["WFM_LOAD_STEPS"] = ",".join(str(row[0]) for row in steps)
        heard: dict[tuple[str, str], list[float]] = {}
        listener = threading.Thread(target=_listen, args=(_dsn(url), heard, stop), daemon=True)
        listener.start()
        folder = Path(tempfile.mkdtemp())
        env = {**os.environ, "WFM_LOAD_MOVES": str(folder / "moves.txt")}
        # locust in its own process: its gevent patching stays out of this one
        before = _cpu_now(app)
        done = subprocess.run(
            [
                str(REPO_ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(REPO_ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "--host",
                base_url,
                "--users",
                str(users),
                "--spawn-rate",
                str(max(10, users // 5)),
                "--run-time",
                f"{SECONDS:.0f}s",
                "--csv",
                str(folder / "load"),
                "--csv-full-history",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
            capture_output=True,
            timeout=SECONDS + 120,
        )
        after = _cpu_now(app)
        time.sleep(1.5)  # the last announcements
        stop.set()
        listener.join()  # before the database is dropped under its connection
        with (folder / "load_stats.csv").open() as stats_file:
            rows_by_name = {r["Name"]: r for r in csv.DictReader(stats_file)}
        stats = rows_by_name.get("move")
        creates_failed = int(rows_by_name.get("create", {}).get("Failure Count", 0))
        if stats is None:
            raise RuntimeError(f"locust made no moves: {done.stderr.decode()[-2000:]}")
        requests, failures = int(stats["Request Count"]), int(stats["Failure Count"])
        ok = requests - failures
        sent_moves = [
            (deal, target, float(sent))
            for deal, target, sent in (
                line.split() for line in (folder / "moves.txt").read_text().splitlines()
            )
        ]
        with psycopg.connect(_dsn(url)) as conn:
            counted = conn.execute(
                "SELECT count(*) FROM wfm_project_history h JOIN deals d "
                "ON d.wfm_project_id = h.wfm_project_id WHERE d.name LIKE 'Load %'"
            ).fetchone()
        rows = counted[0] if counted else 0
        delays = []
        pending = {key: sorted(times) for key, times in heard.items()}
        for deal, target, sent in sent_moves:
            times = pending.get((deal, target))
            if times:
                arrived = next((t for t in times if t >= sent), None)
                if arrived is not None:
                    times.remove(arrived)
                    delays.append((arrived - sent) * 1000)
        p95 = statistics.quantiles(delays, n=20)[-1] if len(delays) > 20 else float("nan")
        steady = _steady_rate(folder / "load_stats_history.csv", users)
        return (
            f"{users:>5} {workers:>7} {ok / SECONDS:>8.1f} {steady:>8.1f} "
            f"{float(stats['50%']):>8.0f} {float(stats['95%']):>8.0f} {p95:>10.0f} "
            f"{f'{failures}/{creates_failed}':>13} {ok:>7} {len(sent_moves):>6} {rows:>7} "
            f"{'yes' if ok <= rows <= len(sent_moves) else 'NO':>6} "
            + " ".join(
                f"{(b - a) * 1000 / max(ok, 1):>6.2f}" for a, b in zip(before, after, strict=True)
            )
        )
    finally:
        stop.set()
        if app is not None:
            harness.stop(app)
        harness.drop_database(url)
        harness.stop(idp)


def _steady_rate(history: Path, users: int) -> float:
    """Answered moves per second from the first second every user had started to the end
    (locust's history: a row per second, with running totals)."""
    with history.open() as history_file:
        rows = [r for r in csv.DictReader(history_file) if r["Name"] == "move"]
    full = [r for r in rows if int(r["User Count"]) >= users]
    if len(full) < 2:
        return float("nan")
    first, last = full[0], full[-1]
    answered = [
        int(row["Total Request Count"]) - int(row["Total Failure Count"]) for row in (first, last)
    ]
    seconds = float(last["Timestamp"]) - float(first["Timestamp"])
    return (answered[1] - answered[0]) / seconds if seconds > 0 else float("nan")


def main() -> None:
    lines = [one_run(users, workers) for workers in WORKERS for users in USERS]
    print(f"load test over GraphQL, {SECONDS:.0f} s per run (PostgreSQL, this machine)")
    print(
        "users workers  moves/s  steady/s  p50 ms  p95 ms  notify p95  failed (m/c) answered"
        "   sent history  sound"
        "  CPU ms per move: app  postgres  locust"
    )
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
