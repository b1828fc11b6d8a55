"""Every environment variable the app reads, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'wfm.db'}"


def _normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3, the only driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    definitions_cache_seconds: float
    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    oidc_roles_claim: str


def load_settings() -> Settings:
    return Settings(
        database_url=_normalise_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        # Other processes may change definitions; this bounds how long we serve a stale
        # graph. Moves are validated in the database, so staleness never lets a bad move in.
        definitions_cache_seconds=float(os.environ.get("WFM_DEFINITIONS_CACHE_SECONDS", "30")),
        oidc_issuer=os.environ.get("OIDC_ISSUER", "http://127.0.0.1:9400"),
        oidc_client_id=os.environ.get("OIDC_CLIENT_ID", "wfm"),
        oidc_client_secret=os.environ.get("OIDC_CLIENT_SECRET", "wfm-dev-secret"),
        oidc_roles_claim=os.environ.get("OIDC_ROLES_CLAIM", "roles"),
    )


settings = load_settings()
