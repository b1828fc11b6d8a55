"""Every environment variable the app reads, in one place."""

from __future__ import annotations

import ipaddress
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'wfm.db'}"
DEV_ISSUER = "http://127.0.0.1:9400"


def _normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3, the only driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _checked_networks(spec: str) -> str:
    """A CIDR list, refused at start-up (not at the first webhook) when it is malformed."""
    for part in filter(None, (p.strip() for p in spec.split(","))):
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise SystemExit(f"WFM_WEBHOOK_ALLOW_NETWORKS: {part!r} is not a network.") from None
    return spec


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    pg_random_page_cost: float
    backend_host: str
    redis_url: str | None
    definitions_cache_seconds: float
    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    oidc_roles_claim: str
    oidc_org_claim: str
    default_org: str
    auto_orgs: bool
    oidc_scopes: str
    oidc_token_auth_method: str
    oidc_api_audience: str
    api_userinfo_tokens: bool
    default_role: str | None
    allowed_origins: tuple[str, ...]
    graphql_introspection: bool
    graphql_threads: int
    graphql_heavy_threads: int
    graphql_processes: int
    graphql_processes_on_demand: bool  # started by the first query, not at start-up
    graphql_nice: int | None  # None: the idle policy (api/graphql/processes.py)
    analytics_frames: bool
    api_statement_timeout_ms: int
    session_hours: float
    issuer_configured: bool
    allow_dev_issuer_in_production: bool
    webhook_max_attempts: int
    webhook_retry_seconds: float
    webhook_lease_seconds: float
    webhook_timeout_seconds: float
    webhook_allow_networks: str
    worker_poll_seconds: float
    timer_scan_seconds: float
    metrics_token: str | None
    metrics_dir: str | None
    import_max_bytes: int
    import_dir: Path

    @property
    def production(self) -> bool:
        # Read when asked: `reflex run --env prod` sets it after rxconfig (and so this
        # module) has been imported.
        return os.environ.get("REFLEX_ENV_MODE", "dev") == "prod"

    @property
    def log_format(self) -> str:
        """``json`` (one object per line, for collectors) or ``text`` (for people)."""
        chosen = os.environ.get("WFM_LOG_FORMAT", "").strip().lower()
        if chosen in ("json", "text"):
            return chosen
        return "json" if self.production else "text"


def _worker_priority(spec: str) -> int | None:
    """WFM_GRAPHQL_NICE: ``idle`` (None) or a nice value, 0-19."""
    if spec.strip().lower() == "idle":
        return None
    try:
        return min(19, max(0, int(spec)))
    except ValueError:
        raise ValueError(f"WFM_GRAPHQL_NICE must be idle or 0-19, not {spec!r}.") from None


def _worker_processes(spec: str) -> tuple[int, bool]:
    """WFM_GRAPHQL_PROCESSES: ``auto`` (as many workers as cores, at most 2, started when
    a served app's first query comes) or a count 0-64 started with the app (0: threads)."""
    if spec.strip().lower() == "auto":
        return min(2, os.cpu_count() or 1), True
    try:
        return min(64, max(0, int(spec))), False
    except ValueError:
        raise ValueError(f"WFM_GRAPHQL_PROCESSES must be auto or 0-64, not {spec!r}.") from None


def load_settings() -> Settings:
    processes, on_demand = _worker_processes(os.environ.get("WFM_GRAPHQL_PROCESSES", "auto"))
    return Settings(
        database_url=_normalise_database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        # PostgreSQL's default (4) prices an index probe as if it read a spinning disk; with
        # the working set in memory or on SSD, 1.1 is the usual setting, and it is what
        # lets the planner walk one owner's cards by index instead of scanning every project.
        pg_random_page_cost=float(os.environ.get("WFM_PG_RANDOM_PAGE_COST", "1.1")),
        backend_host=os.environ.get("WFM_BACKEND_HOST", "127.0.0.1"),
        redis_url=os.environ.get("REDIS_URL") or os.environ.get("REFLEX_REDIS_URL") or None,
        # Other processes may change definitions; this bounds how long we serve a stale
        # graph. Moves are validated in the database, so staleness never lets a bad move in.
        definitions_cache_seconds=float(os.environ.get("WFM_DEFINITIONS_CACHE_SECONDS", "30")),
        oidc_issuer=os.environ.get("OIDC_ISSUER", DEV_ISSUER).rstrip("/"),
        oidc_client_id=os.environ.get("OIDC_CLIENT_ID", "wfm"),
        oidc_client_secret=os.environ.get("OIDC_CLIENT_SECRET", "wfm-dev-secret"),
        oidc_roles_claim=os.environ.get("OIDC_ROLES_CLAIM", "roles"),
        oidc_org_claim=os.environ.get("OIDC_ORG_CLAIM", "org"),
        default_org=os.environ.get("WFM_DEFAULT_ORG", "default").strip() or "default",
        auto_orgs=os.environ.get("WFM_AUTO_ORGS") == "1",
        oidc_scopes=os.environ.get("OIDC_SCOPES", "openid email profile"),
        # client_secret_basic suits Keycloak, Entra ID, Okta and Google alike.
        oidc_token_auth_method=os.environ.get("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"),
        # API tokens must be meant for this app: by default, for our own client.
        oidc_api_audience=os.environ.get("OIDC_API_AUDIENCE")
        or os.environ.get("OIDC_CLIENT_ID", "wfm"),
        # Userinfo cannot tell whom a token was issued to: only when an operator says so.
        api_userinfo_tokens=os.environ.get("WFM_API_USERINFO_TOKENS") == "1",
        # Unset: a signed-in person without a WFM role has no access at all.
        default_role=os.environ.get("WFM_DEFAULT_ROLE") or None,
        # Origins besides DEPLOY_URL allowed to open the event socket and post to /auth.
        allowed_origins=tuple(
            origin.strip().rstrip("/")
            for origin in os.environ.get("WFM_ALLOWED_ORIGINS", "").split(",")
            if origin.strip()
        ),
        graphql_introspection=os.environ.get("WFM_GRAPHQL_INTROSPECTION") == "1",
        graphql_threads=max(1, int(os.environ.get("WFM_GRAPHQL_THREADS", "2"))),
        # Analytics over the API run in a pool of their own, so that they queue behind each
        # other, never in front of everyone else's light calls.
        graphql_heavy_threads=max(1, int(os.environ.get("WFM_GRAPHQL_HEAVY_THREADS", "1"))),
        # Queries in this many worker processes, below the pages' CPU priority (0: in this
        # process's threads); api/graphql/processes.py.
        graphql_processes=processes,
        graphql_processes_on_demand=on_demand,
        graphql_nice=_worker_priority(os.environ.get("WFM_GRAPHQL_NICE", "idle")),
        # On PostgreSQL analytics read each workflow's stays kept in memory (about 26
        # bytes per history row, engine/analytics/frame.py); 0 reads the history each time.
        analytics_frames=os.environ.get("WFM_ANALYTICS_FRAMES", "1") != "0",
        # PostgreSQL stops an API statement after this long (0: never); the client is told.
        api_statement_timeout_ms=max(
            0, int(os.environ.get("WFM_API_STATEMENT_TIMEOUT_MS", "10000"))
        ),
        session_hours=float(os.environ.get("WFM_SESSION_HOURS", "12")),
        issuer_configured=bool(os.environ.get("OIDC_ISSUER")),
        # The development identity provider signs anyone in: never in production unless
        # a test run says so explicitly.
        allow_dev_issuer_in_production=os.environ.get("WFM_ALLOW_DEV_ISSUER") == "1",
        # Webhooks: attempts before a delivery is given up (an admin may retry it), the
        # first retry's delay (doubling each time, at most an hour), how long a worker
        # holds a delivery before another may take it over (longer than the timeout).
        webhook_max_attempts=max(1, int(os.environ.get("WFM_WEBHOOK_MAX_ATTEMPTS", "8"))),
        webhook_retry_seconds=float(os.environ.get("WFM_WEBHOOK_RETRY_SECONDS", "10")),
        webhook_lease_seconds=float(os.environ.get("WFM_WEBHOOK_LEASE_SECONDS", "60")),
        webhook_timeout_seconds=float(os.environ.get("WFM_WEBHOOK_TIMEOUT_SECONDS", "10")),
        # Outbound calls go to public addresses only; these CIDR networks (comma-separated)
        # are allowed besides, e.g. "10.0.0.0/8" for a receiver inside the company network.
        webhook_allow_networks=_checked_networks(os.environ.get("WFM_WEBHOOK_ALLOW_NETWORKS", "")),
        worker_poll_seconds=float(os.environ.get("WFM_WORKER_POLL_SECONDS", "1")),
        timer_scan_seconds=float(os.environ.get("WFM_TIMER_SCAN_SECONDS", "30")),
        # GET /metrics asks for this bearer token when it is set (else anyone who reaches
        # the backend may read it: bind it to a private address, or set the token).
        metrics_token=os.environ.get("WFM_METRICS_TOKEN") or None,
        # A directory the backend processes and the worker share (prometheus_client's
        # multiprocess mode): each scrape then adds them all up. Unset: each process
        # counts for itself only.
        metrics_dir=os.environ.get("WFM_METRICS_DIR")
        or os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        or None,
        # CSV imports: a bigger file is refused with a sentence; uploads wait here (on
        # the server that took the upload) until their import has run.
        import_max_bytes=int(float(os.environ.get("WFM_IMPORT_MAX_MB", "100")) * 1024 * 1024),
        import_dir=Path(
            os.environ.get("WFM_IMPORT_DIR") or Path(tempfile.gettempdir()) / "wfm-imports"
        ),
    )


settings = load_settings()
