"""`wfm org create` in a process of its own, as an operator runs it, on a fresh database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from tests.harness import BIN
from wfm_app.cli import migrate
from wfm_app.tenancy import org_id_for


def _wfm(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [str(BIN / "wfm"), *args], env=env, capture_output=True, text=True, check=False
    )


def test_an_operator_creates_a_seeded_organization(tmp_path: Path) -> None:
    database = tmp_path / "wfm.db"
    migrate(f"sqlite:///{database}")
    made = _wfm(database, "org", "create", "acme", "--name", "Acme Ltd")
    assert made.returncode == 0, made.stderr
    assert "created, with the default definitions" in made.stdout
    again = _wfm(database, "org", "create", "acme")
    assert again.returncode == 0 and "already there" in again.stdout
    refused = _wfm(database, "org", "create", "Not a key!")
    assert refused.returncode == 2 and "key is 1 to 63" in refused.stderr
    with sqlite3.connect(database) as connection:
        acme = org_id_for("acme").hex
        names = {
            row[0]
            for row in connection.execute("SELECT name FROM statuses WHERE org_id = ?", (acme,))
        }
        (name,) = connection.execute(
            "SELECT name FROM organizations WHERE id = ?", (acme,)
        ).fetchone()
    assert name == "Acme Ltd" and "Prospecting" in names
