"""CSV import (issue 32.1): Jira's and ServiceNow's exports mapped by presets, a dry run
that lists every failing row and why, all-or-nothing or only the valid rows, an
"imported" history entry, re-import by external id updating instead of copying, a step's
entry condition, members refused, two organizations apart."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.service.test_organizations import organization
from wfm_app.db import unit_of_work
from wfm_app.entities import deals, tickets
from wfm_app.entities.card_import import command, jobs, running
from wfm_app.entities.card_import.jobs import ImportJob
from wfm_app.errors import Forbidden, NotFound, ValidationFailed
from wfm_app.sqltypes import table_of
from wfm_app.tenancy import acting_in

DATA = Path(__file__).parent.parent / "data"
# written for these tests in the shape of Jira's "Export CSV (all fields)" and of
# ServiceNow's incident list export, each with rows that cannot be imported
JIRA = (DATA / "jira-issues.csv").read_text()
SERVICENOW = (DATA / "servicenow-incidents.csv").read_text()
STEPS = {"To Do": "New", "Done": "Closed"}


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _checked(actor, service, path, **given):
    job = jobs.start(actor, service, path, path.name)
    return running.check(
        actor,
        service,
        job.id,
        preset=given.get("preset", job.preset),
        mapping=given.get("mapping", job.mapping),
        step_names=given.get("step_names", {}),
    )


def _ticket(actor, name):
    return next(t for t in tickets.service.get_all(actor) if t.name == name)


def test_a_jira_export_checked_then_its_valid_rows_imported_and_reimported(seeded, tmp_path):
    path = _file(tmp_path, "jira.csv", JIRA)
    job = jobs.start(seeded.manager, tickets.service, path, "jira.csv")
    assert (job.preset, job.total, job.columns[-1]) == ("jira", 4, "Labels (2)")
    assert job.mapping["Summary"] == "name" and job.mapping["Issue key"] == "external_id"
    assert job.mapping["Status"] == "step" and job.mapping["Assignee"] == "assignee"
    assert job.preview[0][0] == "Printer on fire"

    checked = _checked(seeded.manager, tickets.service, path, step_names=STEPS)
    assert checked.failed == 2
    reasons = dict(checked.problems)
    assert "Due date: '31/Feb/26 1:00 PM' is not a date" in reasons[4]
    assert "nobody here has the e-mail or name 'Zed Unknown'" in reasons[5]
    assert "2 of 4 rows can be imported (2 new" in checked.message

    with pytest.raises(ValidationFailed, match="2 rows cannot be imported, so nothing was"):
        running.run(seeded.manager, tickets.service, checked.id, only_valid=False)
    done = running.run(seeded.manager, tickets.service, checked.id, only_valid=True)
    assert (done.state, done.created, done.updated, done.failed) == ("done", 2, 0, 2)
    fire = _ticket(seeded.manager, "Printer on fire")
    assert (fire.priority, fire.assignee_name, fire.owner_name) == (
        "urgent",
        "Bob Member",
        "Alice Member",
    )
    assert str(fire.due_date) == "2026-12-24" and fire.description == "Smoke everywhere"
    assert fire.created_at.isoformat().startswith("2026-12-05T15:04")
    assert fire.wfm.step.display_name == "New"
    assert _ticket(seeded.manager, "VPN drops").wfm.step.display_name == "In Progress"
    imported = tickets.service.history(seeded.manager, fire.id)[0]
    assert imported.kind == "import" and imported.comment == "Imported from jira.csv, line 2"
    assert imported.changed_by_name == "Max Manager"

    # the same file again (fixed, one summary changed): updates, no copies
    again = _file(tmp_path, "jira2.csv", JIRA.replace("VPN drops", "VPN drops hourly"))
    rerun = _checked(seeded.manager, tickets.service, again, step_names=STEPS)
    assert "(0 new, 2 updating cards imported before)" in rerun.message
    done = running.run(seeded.manager, tickets.service, rerun.id, only_valid=True)
    assert (done.created, done.updated) == (0, 2)
    names = [t.name for t in tickets.service.get_all(seeded.manager)]
    assert "VPN drops hourly" in names and "VPN drops" not in names
    assert names.count("Printer on fire") == 1


def test_a_servicenow_export_all_or_nothing(seeded, tmp_path):
    path = _file(tmp_path, "incidents.csv", SERVICENOW)
    checked = _checked(seeded.admin, tickets.service, path)
    assert checked.preset == "servicenow" and checked.failed == 1
    assert dict(checked.problems)[4].startswith("Name")  # no short description
    fixed = _file(tmp_path, "fixed.csv", SERVICENOW.replace(",,New,3", ",Printer jam,New,3"))
    checked = _checked(seeded.admin, tickets.service, fixed)
    assert checked.failed == 0
    done = running.run(seeded.admin, tickets.service, checked.id, only_valid=False)
    assert (done.state, done.created, done.done) == ("done", 3, 3)
    email = _ticket(seeded.admin, "Email down")
    assert email.priority == "urgent" and email.assignee_name == "Bob Member"
    assert _ticket(seeded.admin, "Slow laptop").priority == "low"


def test_a_step_entry_condition_refuses_a_row_and_members_may_not_import(seeded, tmp_path):
    text = (
        "Name,Amount,Stage,Expected close date\n"
        "No date,5000,Proposal,\n"
        "Dated,12k,Proposal,2027-01-31\n"
    )
    path = _file(tmp_path, "deals.csv", text)
    mapping = {
        "Name": "name",
        "Amount": "amount",
        "Stage": "step",
        "Expected close date": "expected_close_date",
    }
    checked = _checked(seeded.manager, deals.service, path, mapping=mapping)
    assert dict(checked.problems) == {2: 'Step "Proposal" needs Expected close date is filled in.'}
    done = running.run(seeded.manager, deals.service, checked.id, only_valid=True)
    dated = next(d for d in deals.service.get_all(seeded.manager) if d.name == "Dated")
    assert done.created == 1 and str(dated.amount) == "12000.00"
    with pytest.raises(Forbidden):
        jobs.start(seeded.alice, deals.service, path, "deals.csv")
    with pytest.raises(ValidationFailed, match="Map a column to Name"):
        _checked(seeded.manager, deals.service, path, mapping={"Amount": "amount"})


def test_a_file_too_big_is_refused_with_a_sentence(seeded, tmp_path, monkeypatch):
    from wfm_app.entities.card_import import source

    monkeypatch.setattr(source, "settings", type("S", (), {"import_max_bytes": 10})())
    path = _file(tmp_path, "big.csv", JIRA)
    with pytest.raises(ValidationFailed, match="files of up to 0 MB can be imported"):
        jobs.start(seeded.admin, tickets.service, path, "big.csv")


def test_each_organization_sees_only_its_own_imports(database, tmp_path):
    acme, globex = organization("acme"), organization("globex")
    path = _file(tmp_path, "jira.csv", JIRA)
    with acting_in(acme.id):
        job = jobs.start(acme.admin, tickets.service, path, "jira.csv")
    with acting_in(globex.id):
        with pytest.raises(NotFound):
            jobs.get(globex.admin, job.id)
        with unit_of_work() as uow:
            count = uow.session.execute(select(func.count()).select_from(table_of(ImportJob)))
            assert count.scalar_one() == 0


def test_the_command_line_checks_then_imports(seeded, tmp_path, capsys):
    path = _file(
        tmp_path, "cli.csv", "Name,Amount,Stage\nCLI deal,5k,Prospecting\nBad,xx,Nowhere\n"
    )
    given = {"kind": "deal", "file": str(path), "preset": None, "map": ["Stage=step"]}
    given |= {"step": [], "only_valid": False, "dry_run": True, "org": None}
    assert command.run(argparse.Namespace(**given)) == 1  # a row fails: said, nothing written
    said = capsys.readouterr().out
    assert 'line 3: Step: no step "Nowhere"' in said and "1 of 2 rows can be imported" in said
    assert command.run(argparse.Namespace(**(given | {"dry_run": False}))) == 2
    assert "nothing was" in capsys.readouterr().err
    assert command.run(argparse.Namespace(**(given | {"dry_run": False, "only_valid": True}))) == 0
    assert "Imported 1 new card, updated 0. 1 row left out" in capsys.readouterr().out
    assert any(d.name == "CLI deal" for d in deals.service.get_all(seeded.admin))


def test_an_import_whose_process_died_is_reported_stopped_and_can_go_on(seeded, tmp_path):
    path = _file(tmp_path, "incidents.csv", SERVICENOW.replace(",,New,3", ",Printer jam,New,3"))
    checked = _checked(seeded.admin, tickets.service, path)
    jobs.save(checked.id, state=jobs.RUNNING, only_valid=True, done=2)
    assert jobs.get(seeded.admin, checked.id).state == "running"  # still saving progress
    with unit_of_work() as uow:  # the process died an hour ago, mid-import
        job = uow.session.get(ImportJob, checked.id)
        job.updated_at = job.updated_at - 6 * jobs.STALE_AFTER
        uow.session.add(job)

    stopped = jobs.latest(seeded.admin, "TICKET")
    assert stopped.id == checked.id and stopped.state == "failed"
    assert "stopped when its server did (the first 2 rows are in)" in stopped.message
    assert jobs.get(seeded.admin, checked.id).state == "failed"  # recorded, not only shown
    again = _checked(seeded.admin, tickets.service, path)  # the dry run again, then on
    done = running.run(seeded.admin, tickets.service, again.id, only_valid=True)
    assert done.state == "done" and done.created == 3
