"""card_ids against a plain dictionary: ids that share a high half, cards read after
the build (not in id order), wanted ids the frame never held, an empty frame."""

from __future__ import annotations

import os

import numpy as np

from wfm_app.engine.analytics import card_ids


def _ids(count: int) -> list[bytes]:
    return [os.urandom(16) for _ in range(count)]


def _frame(built: list[bytes], later: list[bytes]) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    in_order = np.frombuffer(b"".join(sorted(built)), dtype="V16")
    high, low = card_ids.halves(in_order)
    return high, low, sorted(built) + later


def _expected(projects: list[bytes], wanted: list[bytes]) -> list[int]:
    index = {p: i for i, p in enumerate(projects)}
    return sorted(index[w] for w in wanted if w in index)


def test_indexes_match_a_dictionary() -> None:
    built, later, strangers = _ids(5000), _ids(300), _ids(2000)
    shared = os.urandom(8)  # ids alike in their first eight bytes, differing after
    twins = [shared + os.urandom(8) for _ in range(6)]
    built += twins[:4]
    later += twins[4:5]
    high, low, projects = _frame(built, later)
    wanted = built[::3] + later[::2] + strangers + twins
    found = card_ids.indexes_of(
        np.frombuffer(b"".join(wanted), dtype="V16"), high, low, projects[len(built) :]
    )
    assert sorted(found.tolist()) == _expected(projects, wanted)


def test_halves_keep_postgresql_uuid_order() -> None:
    ids = [*_ids(1000), b"\x00" * 16, b"\xff" * 16, b"\x80" + b"\x00" * 15]
    high, low = card_ids.halves(np.frombuffer(b"".join(ids), dtype="V16"))
    assert [ids[i] for i in np.lexsort((low, high))] == sorted(ids)


def test_nothing_built_or_wanted() -> None:
    empty = np.empty(0, dtype=np.uint64)
    later = _ids(3)
    wanted = np.frombuffer(later[1] + os.urandom(16), dtype="V16")
    assert card_ids.indexes_of(wanted, empty, empty, later).tolist() == [1]
    none = np.empty(0, dtype="V16")
    assert card_ids.indexes_of(none, empty, empty, []).tolist() == []
