"""The allocator settings a serving process applies (wfm_app.memory)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_accepts_the_settings_in_a_fresh_process() -> None:
    # a process of its own: the settings last for the process's life
    code = "from wfm_app import memory; print(memory.keep_freed())"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "True"
