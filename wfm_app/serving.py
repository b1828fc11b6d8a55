"""How the backend is served with several worker processes (``GRANIAN_WORKERS``).

Reflex starts granian without ``respawn_failed_workers``: one crashed or killed worker
then ends the whole backend. This turns respawning on for every granian server started
in this process (rxconfig.py calls it before Reflex starts one); granian itself still
gives up on a worker that crashes again within seconds (a crash loop).
"""

from __future__ import annotations

import functools
from typing import Any


def respawn_failed_workers() -> None:
    try:
        from granian.server import common
    except ImportError:  # granian absent: nothing to serve with
        return
    original = common.AbstractServer.__init__
    if getattr(original, "wfm_respawns", False):
        return

    @functools.wraps(original)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("respawn_failed_workers", True)
        original(self, *args, **kwargs)

    init.wfm_respawns = True  # type: ignore[attr-defined]
    common.AbstractServer.__init__ = init  # type: ignore[method-assign]
