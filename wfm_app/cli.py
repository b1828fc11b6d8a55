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
    from wfm_app import seed

    seed.seed_definitions()
    print("Definitions loaded: Standard Sales Process, Lead Qualification, their project types.")
    if args.demo:
        made = seed.seed_demo()
        print(f"Demo data: {made} deals and leads created." if made else "Demo data already there.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wfm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="build or upgrade the schema (alembic upgrade head)")
    seed_parser = commands.add_parser("seed", help="load the spec's workflows and project types")
    seed_parser.add_argument(
        "--demo", action="store_true", help="also add demo users, deals, leads"
    )
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
        print("Database is at the latest schema.")
    elif args.command == "seed":
        _seed(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
