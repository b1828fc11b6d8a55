"""The definitions document as YAML text (PyYAML's safe loader and dumper only).

A YAML alias (``*name``) repeats a node without repeating its text: nested a few levels
deep, a file of 500 bytes stands for billions of nodes once anything walks it. Definition
files have no use for them, so a file with one is refused before it is built, and the file
itself is capped first."""

from __future__ import annotations

from typing import Any

import yaml

from wfm_app.errors import ValidationFailed

MAX_BYTES = 1024 * 1024
# libyaml's C parser where PyYAML was built with it (the wheels are): a 1 MiB file is read
# in a fraction of the time the pure-Python one takes.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def to_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _refuse(sentence: str, field_sentence: str) -> ValidationFailed:
    return ValidationFailed(sentence, {"file": field_sentence})


def from_yaml(text: str) -> Any:
    if len(text.encode()) > MAX_BYTES:
        raise _refuse("The file is larger than 1 MiB.", "At most 1 MiB of definitions.")
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                at = event.start_mark.line + 1 if event.start_mark else 0
                raise _refuse(
                    f"The file uses a YAML alias (*{event.anchor}, line {at}): write the "
                    "value out instead.",
                    f"YAML aliases are not accepted (line {at}).",
                )
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise _refuse(f"The file is not valid YAML{line}.", f"Not valid YAML{line}.") from None
