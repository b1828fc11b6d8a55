"""How much state a tab keeps in Redis with a 1,000-card board open (Reflex's Redis
state manager, as several backend processes use it). Target: under 20 kB for the board.

Starts the app with REDIS_URL on its own Redis database number, opens the board as the
owner of 1,000 deals, and prints each state key's size for that tab.
"""

from __future__ import annotations

import pickle

import redis

from tests.benchmarks.board_browser import CARDS, app_with_board, board_as_bob

REDIS = "redis://127.0.0.1:6379/13"  # a database of its own, emptied first


def _largest_vars(blob: bytes) -> list[tuple[str, int]]:
    """The board state's vars by pickled size (what to trim next)."""
    try:
        schema, state = pickle.loads(blob)  # Reflex stores (schema, state)
    except Exception as error:  # the format is Reflex's own business
        return [(f"(not readable: {type(error).__name__})", 0)]
    values = {"(schema)": schema, **state.__getstate__()}
    sizes = []
    for name, value in values.items():
        try:
            sizes.append((name, len(pickle.dumps(value))))
        except Exception:
            continue
    return sorted(sizes, key=lambda item: -item[1])[:10]


def main() -> None:
    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    with (
        app_with_board(CARDS, REDIS_URL=REDIS) as (base_url, _issuer),
        board_as_bob(base_url) as (page, _watcher),
    ):
        page.get_by_role("region", name="Qualification", exact=True).get_by_role(
            "button", name="Show more"
        ).wait_for()
        sizes = {key.decode(): client.strlen(key) for key in client.scan_iter("*")}
        board_key = max((k for k in sizes if "board" in k.lower()), key=sizes.__getitem__)
        parts = _largest_vars(client.get(board_key) or b"")
    boards = {key: size for key, size in sizes.items() if "board" in key.lower()}
    print(f"tab state in Redis with a {CARDS:,}-card board open (bytes per key)")
    for key, size in sorted(sizes.items(), key=lambda item: -item[1])[:8]:
        print(f"  {size:>8,}  {key[-60:]}")
    largest = max(boards.values(), default=0)
    print(f"board state: {largest:,} bytes (target < 20,000); its largest vars:")
    for name, size in parts:
        print(f"  {size:>8,}  {name}")
    client.flushdb()


if __name__ == "__main__":
    main()
