"""The `wfm` command: migrate the database and load the spec's definitions."""

from __future__ import annotations

import argparse
import sys

from alembic.config import Config

from alembic import command
from wfm_app.settings import REPO_ROOT


def migrate(database_url: str | None = None) -> None:
    """alembic upgrade head, from anywhere."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    if database_url:
        config.attributes["database_url"] = database_url
    command.upgrade(config, "head")


def _seed(args: argparse.Namespace) -> None:
    from wfm_app import demo, seed

    seed.seed_definitions()
    print(
        "Definitions loaded: Standard Sales Process, Lead Qualification, Support Process, "
        "their project types."
    )
    if args.demo:
        made = demo.seed_demo()
        print(
            f"Demo data: {made} deals, leads and tickets created."
            if made
            else "Demo data already there."
        )


def dev_identity_provider(port: int) -> None:
    """Serve the development OpenID Connect provider with the demo users (blocks)."""
    try:
        from wfm_app.auth import dev_provider
    except ImportError:
        raise SystemExit("oidc-provider-mock is not installed: pip install -e '.[dev]'") from None
    from wfm_app.demo import BOB_PICTURE, DEMO_USERS

    users = [
        {"sub": subject, "name": name, "email": email, "roles": roles}
        | ({"picture": BOB_PICTURE} if subject == "bob" else {})
        for subject, name, email, roles in DEMO_USERS
    ]
    dev_provider.serve(port, users)


def _export(args: argparse.Namespace) -> int:
    from wfm_app.auth.actor import Actor
    from wfm_app.engine import portable

    print(portable.to_yaml(portable.export(Actor.system(), args.workflow)), end="")
    return 0


def _export_cards(args: argparse.Namespace) -> int:
    from wfm_app import organizations
    from wfm_app.auth.actor import Actor
    from wfm_app.entities import export, service_by_key
    from wfm_app.entities.filtering import CardFilter
    from wfm_app.errors import WfmError
    from wfm_app.settings import settings
    from wfm_app.tenancy import acting_in, org_id_for

    try:
        org_id = org_id_for(organizations.checked_key(args.org or settings.default_org))
        if not organizations.exists(org_id):
            print(f'wfm export-cards: there is no organization "{args.org}".', file=sys.stderr)
            return 2
        with acting_in(org_id):
            service = service_by_key(args.kind[:100])
            if service is None:
                print(f'wfm export-cards: there is no kind "{args.kind}".', file=sys.stderr)
                return 2
            for line in export.lines(service, Actor.system(), CardFilter(search=args.search)):
                sys.stdout.write(line)
    except WfmError as error:
        print(f"wfm export-cards: {error.message}", file=sys.stderr)
        return 2
    return 0


def _import(args: argparse.Namespace) -> int:
    from wfm_app.auth.actor import Actor
    from wfm_app.engine import portable
    from wfm_app.errors import WfmError

    try:
        with open(args.file, encoding="utf-8") as source:
            document = portable.from_yaml(source.read())
        report = portable.import_definitions(Actor.system(), document, dry_run=args.dry_run)
    except (OSError, WfmError) as error:
        print(f"wfm import: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2
    verb = "would change" if args.dry_run else "changed"
    for change in report.changes:
        print(f"{verb}: {change}")
    outcome = "nothing written (dry run)" if args.dry_run else "saved"
    print(f"{len(report.changes)} change(s); {outcome}.")
    return 0


def _org(args: argparse.Namespace) -> int:
    from wfm_app import organizations
    from wfm_app.errors import WfmError

    try:
        org_id, made = organizations.create_seeded(args.key, args.name)
    except WfmError as error:
        print(f"wfm org create: {error.message}", file=sys.stderr)
        return 2
    state = "created, with the default definitions" if made else "already there; seeded"
    print(f"Organization {args.key} ({org_id}) {state}.")
    return 0


def _create_app_role(args: argparse.Namespace) -> int:
    import os

    from wfm_app import db_roles

    password = os.environ.get(args.password_env) if args.password_env else None
    try:
        done = db_roles.create_app_role(args.name, password)
    except ValueError as error:
        print(f"wfm db create-app-role: {error}", file=sys.stderr)
        return 2
    print(f"Role {args.name} {done}: it reads and writes rows, under row-level security.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wfm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="build or upgrade the schema (alembic upgrade head)")
    seed_parser = commands.add_parser("seed", help="load the spec's workflows and project types")
    seed_parser.add_argument(
        "--demo", action="store_true", help="also add demo users, deals, leads"
    )
    commands.add_parser("graphql-schema", help="print the GraphQL schema (SDL)")
    idp_parser = commands.add_parser("dev-idp", help="run the development identity provider")
    idp_parser.add_argument("--port", type=int, default=9400)
    worker_parser = commands.add_parser(
        "worker", help="send webhooks and fire time-in-step rules (runs until stopped)"
    )
    worker_parser.add_argument("--once", action="store_true", help="one round, then exit")
    export_parser = commands.add_parser("export", help="print the definitions as YAML")
    export_parser.add_argument("--workflow", help="only this workflow (and what it uses)")
    cards_parser = commands.add_parser(
        "export-cards", help="print a kind's cards as CSV (deal, lead, ticket or a kind's key)"
    )
    cards_parser.add_argument("kind")
    cards_parser.add_argument("--search", help="only cards whose name holds this")
    cards_parser.add_argument(
        "--org", default=None, help="the organization's key (default: WFM_DEFAULT_ORG)"
    )
    cards_in = commands.add_parser(
        "import-cards", help="import a kind's cards from a CSV file (dry run first)"
    )
    cards_in.add_argument("kind", help="deal, lead, ticket or a kind's key")
    cards_in.add_argument("file")
    cards_in.add_argument("--preset", help="csv, jira or servicenow (default: guessed)")
    cards_in.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a column to a field key, custom.<key>, owner, assignee, step, created_at "
        "or external_id (repeat; an empty FIELD ignores the column)",
    )
    cards_in.add_argument(
        "--step",
        action="append",
        default=[],
        metavar="VALUE=STEP",
        help="a value of the step column -> a step's name (repeat)",
    )
    cards_in.add_argument("--only-valid", action="store_true", help="import the rows that pass")
    cards_in.add_argument("--dry-run", action="store_true", help="check every row, write none")
    cards_in.add_argument("--org", default=None, help="the organization's key")
    import_parser = commands.add_parser(
        "import", help="make the definitions match a YAML file (matched by name)"
    )
    import_parser.add_argument("file")
    import_parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
    org_parser = commands.add_parser("org", help="organizations sharing this deployment")
    org_commands = org_parser.add_subparsers(dest="org_command", required=True)
    create_parser = org_commands.add_parser(
        "create", help="create an organization and seed its default definitions"
    )
    create_parser.add_argument("key", help="what the OIDC org claim says (a-z, 0-9, - and _)")
    create_parser.add_argument("--name", help="its name as people read it")
    db_parser = commands.add_parser("db", help="the database's roles")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    role_parser = db_commands.add_parser(
        "create-app-role", help="a login role for the app, held to row-level security"
    )
    role_parser.add_argument("name")
    role_parser.add_argument("--password-env", help="the environment variable holding its password")
    args = parser.parse_args(argv)
    if args.command == "org":
        return _org(args)
    if args.command == "db":
        return _create_app_role(args)
    if args.command == "export":
        return _export(args)
    if args.command == "export-cards":
        return _export_cards(args)
    if args.command == "import":
        return _import(args)
    if args.command == "import-cards":
        from wfm_app.entities.card_import import command as import_cards

        return import_cards.run(args)
    if args.command == "migrate":
        migrate()
        print("Database is at the latest schema.")
    elif args.command == "seed":
        _seed(args)
    elif args.command == "graphql-schema":
        from wfm_app.api.graphql.schema import schema

        print(schema.as_str())
    elif args.command == "worker":
        from wfm_app import worker
        from wfm_app.observability import logs, tracing

        logs.configure()
        tracing.configure("wfm-worker")
        try:
            worker.run(once=args.once)
        finally:
            tracing.flush()
    elif args.command == "dev-idp":
        dev_identity_provider(args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
