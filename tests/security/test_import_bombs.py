"""Issue 24.2: a definitions file is bounded before it is built. A YAML alias bomb (a
few hundred bytes that stand for billions of nodes) is refused as it is read, an
oversized file before it is read, and the Import dialog reads files off the event loop."""

from __future__ import annotations

import inspect

import pytest

from wfm_app.engine import portable
from wfm_app.errors import ValidationFailed
from wfm_app.ui.state.admin_workflow_list import WorkflowsState


def alias_bomb(levels: int) -> str:
    """``levels`` anchors, each a list of ten aliases of the one before: 10**levels."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    return "statuses:\n- name: Boom\n  description: ok\nworkflows: []\nextra:\n" + "\n".join(
        "  " + line for line in lines
    )


@pytest.mark.parametrize("levels", [2, 7, 9])
def test_an_alias_bomb_is_refused_as_it_is_read(levels):
    text = alias_bomb(levels)
    assert len(text.encode()) < 1000
    with pytest.raises(ValidationFailed) as refused:
        portable.from_yaml(text)
    assert "YAML alias" in refused.value.message
    assert "aliases are not accepted" in refused.value.field_errors["file"]


def test_merge_keys_are_aliases_too():
    with pytest.raises(ValidationFailed, match="YAML alias"):
        portable.from_yaml("base: &b {color: '#111111'}\nstatuses:\n- <<: *b\n  name: X\n")


def test_an_oversized_file_is_refused_before_it_is_parsed():
    big = "statuses:\n" + "".join(f"- name: S{i}\n" for i in range(80_000))
    assert len(big) > 1024 * 1024
    with pytest.raises(ValidationFailed) as refused:
        portable.from_yaml(big)
    assert refused.value.field_errors == {"file": "At most 1 MiB of definitions."}


def test_a_plain_file_still_reads():
    assert portable.from_yaml("statuses:\n- name: Open\n  color: '#123456'\n") == {
        "statuses": [{"name": "Open", "color": "#123456"}]
    }


def test_the_import_dialog_reads_and_runs_files_off_the_event_loop():
    """Every other page keeps answering while a file is read and run: the import is a
    background event, and the dry run (a regular event, so that it runs after the box's
    last change) awaits its reading in a thread."""
    assert WorkflowsState.event_handlers["apply_import"].is_background
    dry_run = WorkflowsState.event_handlers["check_import"].fn
    assert not WorkflowsState.event_handlers["check_import"].is_background
    assert inspect.isasyncgenfunction(dry_run)
    assert "asyncio.to_thread(" in inspect.getsource(dry_run)
