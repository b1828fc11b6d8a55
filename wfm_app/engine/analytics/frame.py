"""A workflow's stays in memory, one numpy column per field, kept up to date from the
change feed (stay_changes.py): the charts over any range read these (frame_charts.py)
instead of aggregating the raw history again on every request.

A row is a history row that touches the workflow (it left or entered one of its steps)
or a card's current stay on one of its steps. Times are microseconds since 1970 (UTC),
exactly as stored. Each read first asks the feed which cards changed since the frame
last looked and rereads those cards' rows, so a chart is exact also right after a move,
a card migration or a deletion. PostgreSQL only: the feed is kept by its triggers.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlmodel import Session

from wfm_app.engine.analytics import card_ids, stay_changes
from wfm_app.engine.schemas import WorkflowGraph
from wfm_app.tenancy import current_org_id

NO_TIME = -(2**62)  # a NULL time (a history row without from_entered_at)
STILL_THERE = 2**62  # a current stay's end
MOVE, CURRENT, OTHER = 0, 1, 2  # a finished stay, a current stay, a migration's row
MAX_ROWS = 30_000_000  # rows kept in all frames of a process (about 26 bytes each)
REBUILD_SHARE = 0.2  # more changed cards than this share of the frame's: read it anew
# The build's statement may run this long, past an API request's limit (10 s of PostgreSQL
# at 10 M rows; WFM_API_STATEMENT_TIMEOUT_MS is 10 s): it is made once per workflow and
# process, and every later chart reads the frame in milliseconds.
BUILD_TIMEOUT_MS = 300_000

_HISTORY = f"""
SELECT m.n, array_position(CAST(:steps AS uuid[]), h.from_step_id),
    array_position(CAST(:steps AS uuid[]), h.to_step_id),
    CASE WHEN h.to_step_id IS NOT NULL
        AND array_position(CAST(:steps AS uuid[]), h.to_step_id) IS NULL THEN h.to_step_id END,
    coalesce((extract(epoch FROM h.from_entered_at) * 1000000)::bigint, {NO_TIME}),
    (extract(epoch FROM h.changed_at) * 1000000)::bigint,
    h.kind = 'move'
FROM wfm_project_history h
JOIN unnest(CAST(:projects AS uuid[])) WITH ORDINALITY AS m (id, n) ON m.id = h.wfm_project_id
WHERE h.wfm_project_id = ANY (CAST(:projects AS uuid[])) AND (
    h.from_step_id = ANY (CAST(:steps AS uuid[])) OR h.to_step_id = ANY (CAST(:steps AS uuid[])))
"""
_PROJECTS = """
SELECT p.id, array_position(CAST(:steps AS uuid[]), p.current_step_id),
    (extract(epoch FROM p.step_entered_at) * 1000000)::bigint,
    (extract(epoch FROM p.created_at) * 1000000)::bigint
FROM wfm_projects p
WHERE {which}
"""
_ELSEWHERE = """
SELECT DISTINCT h.to_step_id FROM wfm_project_history h
WHERE h.from_step_id = ANY (CAST(:steps AS uuid[])) AND h.to_step_id IS NOT NULL
    AND NOT h.to_step_id = ANY (CAST(:steps AS uuid[]))
"""
_TOUCHING = (
    "p.current_step_id = ANY (CAST(:steps AS uuid[])) OR EXISTS (SELECT 1 FROM "
    "wfm_project_history h WHERE h.wfm_project_id = p.id AND (h.from_step_id = ANY "
    "(CAST(:steps AS uuid[])) OR h.to_step_id = ANY (CAST(:steps AS uuid[]))))"
)
# Every row of a workflow in one statement, so in one snapshot: the cards touching it
# numbered by PostgreSQL (n), their stays, and each column as one bytea of fixed-size
# big-endian values (uuid_send, int4send, ...). A COPY would hand psycopg one message per
# row, ten million Python calls; these are a few large values numpy reads as they come.
_EVERYTHING = f"""
WITH touching AS MATERIALIZED (
    SELECT p.id, p.current_step_id, coalesce(p.step_entered_at, '-infinity') AS entered_at,
        coalesce(p.created_at, '-infinity') AS created_at, (row_number() OVER ())::int4 AS n
    FROM wfm_projects p WHERE {_TOUCHING.replace(":steps", "%(steps)s")}
), stays AS (
    SELECT t.n, coalesce(array_position(CAST(%(steps)s AS uuid[]), h.from_step_id) - 1, -1) AS step,
        coalesce(array_position(CAST(%(targets)s AS uuid[]), h.to_step_id) - 1, -1) AS to_step,
        coalesce(h.from_entered_at, '-infinity') AS entered, h.changed_at AS left_at,
        CASE WHEN h.kind = 'move' THEN {MOVE} ELSE {OTHER} END AS kind
    FROM wfm_project_history h JOIN touching t ON t.id = h.wfm_project_id
    WHERE h.from_step_id = ANY (CAST(%(steps)s AS uuid[]))
        OR h.to_step_id = ANY (CAST(%(steps)s AS uuid[]))
    UNION ALL
    SELECT t.n, array_position(CAST(%(steps)s AS uuid[]), t.current_step_id) - 1, -1,
        t.entered_at, 'infinity', {CURRENT}
    FROM touching t WHERE t.current_step_id = ANY (CAST(%(steps)s AS uuid[]))
)
SELECT cards.*, rows.* FROM (
    SELECT string_agg(uuid_send(id), ''::bytea), string_agg(int4send(n), ''::bytea),
        string_agg(timestamptz_send(created_at), ''::bytea)
    FROM touching) cards, (
    SELECT string_agg(int4send(n), ''::bytea), string_agg(int2send(step::int2), ''::bytea),
        string_agg(int2send(to_step::int2), ''::bytea),
        string_agg(timestamptz_send(entered), ''::bytea),
        string_agg(timestamptz_send(left_at), ''::bytea),
        string_agg(int2send(kind::int2), ''::bytea)
    FROM stays) rows
"""


_TIMEOUT = "SELECT setting FROM pg_settings WHERE name = 'statement_timeout'"  # in ms
_SINCE_2000 = 946_684_800_000_000  # PostgreSQL's epoch in Unix microseconds


def _times(sent: bytes | None) -> np.ndarray:
    """timestamptz_send's values (microseconds since 2000; -infinity and infinity as
    int64's least and greatest) as the frame's times."""
    times = np.frombuffer(sent or b"", dtype=">i8").astype(np.int64)
    missing, endless = times == np.iinfo(np.int64).min, times == np.iinfo(np.int64).max
    times += _SINCE_2000
    times[missing] = NO_TIME
    times[endless] = STILL_THERE
    return times


def _grown(column: np.ndarray, size: int, fill: int | None = None) -> np.ndarray:
    """``column`` with room for ``size`` rows, and some to spare: a refresh appends a few
    rows at a time, and copying ten million rows for each would cost more than reading.
    The new room holds ``fill`` when given."""
    if size <= len(column):
        return column
    length = max(size + 65_536, len(column) + len(column) // 8)
    bigger = np.empty(length, dtype=column.dtype) if fill is None else np.full(length, fill)
    bigger[: len(column)] = column
    return bigger


@dataclass(frozen=True)
class Snapshot:
    """A frame's rows as one chart reads them. ``step``: index into ``steps`` (-1: a
    step not the workflow's), ``to_step`` likewise (-1: none), ``kind``: MOVE, CURRENT
    or OTHER; ``alive`` False: replaced since; ``stay``: a stay on one of the workflow's
    steps (a finished move or a current stay); ``created``: per project index."""

    steps: list[uuid.UUID]
    workflow_steps: int
    projects: int
    project_ids: list[bytes]  # uuid.UUID(bytes=...) of each index; only appended to
    sorted_high: np.ndarray  # card_ids.halves of the cards read at the build, in id order
    sorted_low: np.ndarray
    created: np.ndarray
    project: np.ndarray
    step: np.ndarray
    to_step: np.ndarray
    entered: np.ndarray
    left: np.ndarray
    kind: np.ndarray
    alive: np.ndarray
    stay: np.ndarray


@dataclass
class Frame:
    """One workflow's rows. ``steps``: the workflow's step ids in the order the SQL
    indexes them, then any other step a history row moved to (``to_step`` past them)."""

    steps: list[uuid.UUID]
    workflow_steps: int
    projects: list[bytes] = field(default_factory=list)  # card ids' 16 bytes, by index
    project_index: dict[bytes, int] = field(default_factory=dict)
    sorted_high: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    sorted_low: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    created: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    size: int = 0
    project: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    step: np.ndarray = field(default_factory=lambda: np.empty(0, np.int16))
    to_step: np.ndarray = field(default_factory=lambda: np.empty(0, np.int16))
    entered: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    left: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    kind: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    alive: np.ndarray = field(default_factory=lambda: np.empty(0, np.bool_))
    stay: np.ndarray = field(default_factory=lambda: np.empty(0, np.bool_))
    horizon: int = 0
    refreshed: float = 0.0  # time.monotonic() of the last look at the feed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> Snapshot:
        """What a chart reads (call under ``lock``): views of the rows so far, which
        later appends and compactions leave alone, and copies of what changes in place."""
        n = self.size
        return Snapshot(
            steps=list(self.steps),
            workflow_steps=self.workflow_steps,
            projects=len(self.projects),
            project_ids=self.projects,
            sorted_high=self.sorted_high,
            sorted_low=self.sorted_low,
            created=self.created[: len(self.projects)].copy(),
            project=self.project[:n],
            step=self.step[:n],
            to_step=self.to_step[:n],
            entered=self.entered[:n],
            left=self.left[:n],
            kind=self.kind[:n],
            alive=self.alive[:n].copy(),
            stay=self.stay[:n],
        )

    def _index_of(self, project_id: uuid.UUID) -> int:
        index = self.project_index.get(project_id.bytes)
        if index is None:
            index = len(self.projects)
            self.projects.append(project_id.bytes)
            self.project_index[project_id.bytes] = index
            self.created = _grown(self.created, index + 1, fill=NO_TIME)
        return index

    def _step_of(self, step_id: uuid.UUID) -> int:
        if step_id not in self.steps:
            self.steps.append(step_id)
        return self.steps.index(step_id)

    def _append(self, block: np.ndarray) -> None:
        """Rows (an n x 6 array) of project index, step, to step, entered, left, kind."""
        if not len(block):
            return
        end = self.size + len(block)
        for name in ("project", "step", "to_step", "entered", "left", "kind", "alive", "stay"):
            setattr(self, name, _grown(getattr(self, name), end))
        span = slice(self.size, end)
        self.project[span] = block[:, 0]
        self.step[span] = block[:, 1]
        self.to_step[span] = block[:, 2]
        self.entered[span] = block[:, 3]
        self.left[span] = block[:, 4]
        self.kind[span] = block[:, 5]
        self.alive[span] = True
        on_step = (block[:, 1] >= 0) & (block[:, 1] < self.workflow_steps)
        self.stay[span] = on_step & (block[:, 5] != OTHER)
        self.size = end

    def _read_projects(self, session: Session, which: str, ids: list[uuid.UUID]) -> np.ndarray:
        """Creation times and current stays of the projects ``which`` selects."""
        steps = self.steps[: self.workflow_steps]
        found = session.execute(text(_PROJECTS.format(which=which)), {"steps": steps, "ids": ids})
        rows: list[tuple[int, int, int, int, int, int]] = []
        for project_id, current, entered, created in found:
            index = self._index_of(project_id)
            self.created[index] = created
            if current is not None:
                rows.append((index, current - 1, -1, entered, STILL_THERE, CURRENT))
        return np.array(rows, dtype=np.int64).reshape(-1, 6)

    def read_all(self, session: Session) -> None:
        """Every row touching the workflow, from one statement (_EVERYTHING)."""
        steps = self.steps[: self.workflow_steps]
        limit = int(session.execute(text(_TIMEOUT)).scalar_one())  # the request's; 0: none
        raised = 0 < limit < BUILD_TIMEOUT_MS
        if raised:  # for both statements (the first scans the history too)
            session.execute(text(f"SET LOCAL statement_timeout = {BUILD_TIMEOUT_MS}"))
        elsewhere = session.execute(text(_ELSEWHERE), {"steps": steps}).scalars()
        for step_id in elsewhere:
            self._step_of(step_id)
        session.execute(text("SET LOCAL jit = off"))  # compiling it costs seconds, saves none
        # psycopg's own connection, in this session's transaction (and organization); in
        # binary, as text would send each bytea in hex
        driver: Any = session.connection().connection.driver_connection
        with driver.cursor(binary=True) as cursor:
            cursor.execute(_EVERYTHING, {"steps": steps, "targets": self.steps})
            ids, numbers, created, n, step, to_step, entered, left, kind = cursor.fetchone()
        if raised:  # the request's own limit again for what it does next
            session.execute(text(f"SET LOCAL statement_timeout = {limit}"))
        # the frame numbers the cards in id order (card_ids searches them so)
        sent_ids = np.frombuffer(ids or b"", dtype="V16")
        high, low = card_ids.halves(sent_ids)
        in_order = np.lexsort((low, high))
        renumbered = np.zeros(len(in_order) + 1, dtype=np.int64)  # PostgreSQL's n from 1
        renumbered[np.frombuffer(numbers or b"", dtype=">i4")[in_order]] = np.arange(len(in_order))
        self.projects = sent_ids[in_order].tolist()
        self.sorted_high, self.sorted_low = high[in_order], low[in_order]
        self.project_index = {project_id: i for i, project_id in enumerate(self.projects)}
        self.created = _times(created)[in_order]
        block = np.empty((len(n or b"") // 4, 6), dtype=np.int64)
        block[:, 0] = renumbered[np.frombuffer(n or b"", dtype=">i4")]
        block[:, 1] = np.frombuffer(step or b"", dtype=">i2")
        block[:, 2] = np.frombuffer(to_step or b"", dtype=">i2")
        block[:, 3] = _times(entered)
        block[:, 4] = _times(left)
        block[:, 5] = np.frombuffer(kind or b"", dtype=">i2")
        self._append(block)

    def read(self, session: Session, changed: list[uuid.UUID]) -> None:
        """Read the rows of the ``changed`` cards in place of what the frame held."""
        known = [i for p in changed if (i := self.project_index.get(p.bytes)) is not None]
        gone = np.zeros(len(self.projects), dtype=np.bool_)
        gone[known] = True
        self.alive[: self.size] &= ~gone[self.project[: self.size]]
        self.created[known] = NO_TIME  # a deleted card has no creation time
        which = f"p.id = ANY (CAST(:ids AS uuid[])) AND ({_TOUCHING})"
        self._append(self._read_projects(session, which, changed))
        steps = self.steps[: self.workflow_steps]
        history = session.execute(text(_HISTORY), {"steps": steps, "projects": changed})
        rows: list[tuple[int, int, int, int, int, int]] = []
        for n, from_step, to_step, elsewhere, entered, left, is_move in history:
            target = to_step - 1 if to_step is not None else -1
            if elsewhere is not None:
                target = self._step_of(elsewhere)
            source = from_step - 1 if from_step is not None else -1
            kind = MOVE if is_move else OTHER
            rows.append((self._index_of(changed[n - 1]), source, target, entered, left, kind))
        self._append(np.array(rows, dtype=np.int64).reshape(-1, 6))

    def compact(self) -> None:
        """Drop dead rows once they are a quarter of the frame."""
        dead = self.size - int(self.alive[: self.size].sum())
        if dead * 4 < self.size:
            return
        keep = self.alive[: self.size]
        for name in ("project", "step", "to_step", "entered", "left", "kind", "stay"):
            setattr(self, name, getattr(self, name)[: self.size][keep].copy())
        self.size = len(self.project)
        self.alive = np.ones(self.size, dtype=np.bool_)


_frames: OrderedDict[tuple[uuid.UUID | None, uuid.UUID], Frame] = OrderedDict()
_frames_lock = threading.Lock()


def _built(session: Session, graph: WorkflowGraph) -> Frame:
    frame = Frame(steps=[s.id for s in graph.steps], workflow_steps=len(graph.steps))
    frame.horizon = stay_changes.horizon(session)  # before the rows: nothing slips by
    frame.read_all(session)
    frame.refreshed = time.monotonic()
    return frame


def _refreshed(session: Session, frame: Frame) -> Frame | None:
    """The frame brought up to date, or None when it must be built anew."""
    if time.monotonic() - frame.refreshed > stay_changes.STALE_AFTER.total_seconds():
        return None  # the feed may have been pruned past what it last saw
    horizon, changed = stay_changes.changes(session, frame.horizon)
    if len(changed) > REBUILD_SHARE * max(len(frame.projects), 1000):
        return None
    if changed:
        frame.read(session, changed)
        frame.compact()
    frame.horizon, frame.refreshed = horizon, time.monotonic()
    return frame


def snapshot(session: Session, graph: WorkflowGraph) -> Snapshot:
    """The workflow's rows, up to date as of this session's snapshot. The refresh and
    the copy happen under one hold of the frame's lock: a request started earlier (an
    older snapshot) may reread a card in between, and this one must not see that."""
    key = (current_org_id(), graph.id)
    steps = [s.id for s in graph.steps]
    with _frames_lock:
        frame = _frames.get(key)
        if frame is not None:
            _frames.move_to_end(key)
    if frame is not None:
        with frame.lock:
            same_steps = frame.steps[: frame.workflow_steps] == steps
            if same_steps and _refreshed(session, frame) is not None:
                return frame.snapshot()
    frame = _built(session, graph)
    with _frames_lock:
        _frames[key] = frame
        _frames.move_to_end(key)
        while sum(f.size for f in _frames.values()) > MAX_ROWS and len(_frames) > 1:
            _frames.popitem(last=False)
    with frame.lock:
        return frame.snapshot()


def forget_all() -> None:
    """Drop every frame (tests that rebuild their databases)."""
    with _frames_lock:
        _frames.clear()


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def as_microseconds(moment: datetime) -> int:
    """A datetime as the frame's times: microseconds since 1970, UTC."""
    return (moment - EPOCH) // timedelta(microseconds=1)
