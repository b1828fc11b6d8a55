"""The definitions document as YAML text (PyYAML's safe loader and dumper only)."""

from __future__ import annotations

from typing import Any

import yaml

from wfm_app.engine.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024


def to_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def from_yaml(text: str) -> Any:
    if len(text.encode()) > MAX_BYTES:
        raise ValidationFailed(
            "The file is larger than 5 MiB.", {"file": "At most 5 MiB of definitions."}
        )
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise ValidationFailed(
            f"The file is not valid YAML{line}.", {"file": f"Not valid YAML{line}."}
        ) from None
