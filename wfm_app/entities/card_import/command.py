"""`wfm import-cards KIND FILE`: the same dry run and import as the board's Import, for
files too big to upload or imports run by a script; progress on standard error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wfm_app import organizations
from wfm_app.auth.actor import Actor
from wfm_app.entities import service_by_key
from wfm_app.entities.card_import import jobs, running
from wfm_app.errors import WfmError
from wfm_app.settings import settings
from wfm_app.tenancy import acting_in, org_id_for


def _pairs(given: list[str], what: str) -> dict[str, str]:
    pairs = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"wfm import-cards: --{what} takes NAME=VALUE, not {item!r}.")
        pairs[key.strip()] = value.strip()
    return pairs


def run(args: argparse.Namespace) -> int:
    actor, path = Actor.system(), Path(args.file)
    try:
        org_id = org_id_for(organizations.checked_key(args.org or settings.default_org))
        with acting_in(org_id):
            service = service_by_key(args.kind[:100])
            if service is None:
                print(f'wfm import-cards: there is no kind "{args.kind}".', file=sys.stderr)
                return 2
            job = jobs.start(actor, service, path, path.name)
            mapping = job.mapping | _pairs(args.map, "map")
            checked = running.check(
                actor,
                service,
                job.id,
                preset=args.preset or job.preset,
                mapping=mapping,
                step_names=_pairs(args.step, "step"),
            )
            for line, reason in checked.problems:
                print(f"line {line}: {reason}")
            print(checked.message)
            if args.dry_run:
                return 1 if checked.failed else 0
            done = running.run(actor, service, job.id, only_valid=args.only_valid)
            print(done.message)
            return 0 if done.state == jobs.DONE else 1
    except (OSError, WfmError) as error:
        print(f"wfm import-cards: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2
