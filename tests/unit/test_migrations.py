"""The Alembic chain builds exactly what the models describe, on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from alembic import command
from tests import harness
from wfm_app import models  # noqa: F401
from wfm_app.cli import migrate
from wfm_app.db import make_engine
from wfm_app.settings import REPO_ROOT


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = harness.create_database("wfm_migrate")
    yield url
    harness.drop_database(url)


def test_models_and_migrations_agree(empty_database):
    migrate(empty_database)
    engine = make_engine(empty_database)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
            tables = set(inspect(conn).get_table_names())
            indexes = {ix["name"] for ix in inspect(conn).get_indexes("workflow_steps")}
    finally:
        engine.dispose()
    assert {
        "statuses",
        "workflows",
        "workflow_steps",
        "workflow_transitions",
        "project_types",
        "wfm_projects",
        "wfm_project_history",
        "deals",
        "leads",
        "users",
        "permissions",
    } <= tables
    assert {
        "idx_workflow_steps_workflow",
        "idx_workflow_steps_order",
        "idx_workflow_steps_initial",
    } <= indexes


def test_downgrade_to_base_and_back(empty_database):
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["database_url"] = empty_database
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = make_engine(empty_database)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    command.upgrade(config, "head")
