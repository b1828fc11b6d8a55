"""Two app processes behind nginx with tab state in Redis, as README's "Several servers"
describes: the first builds and serves the pages itself and runs several granian
workers; the second runs the backend alone; nginx (deploy/nginx.conf) serves the built
pages and spreads everything else over both. A browser with the cookie ``wfm_backend=a``
(or ``b``) is pinned to one process, which is how a test puts two people on two processes.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests import harness
from wfm_app.settings import REPO_ROOT

NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"


@dataclasses.dataclass
class Cluster:
    url: str  # the one public address (nginx)
    first: subprocess.Popen[bytes]  # pages + backend; the pin "a"
    second: subprocess.Popen[bytes]  # backend only; the pin "b"
    proxy: subprocess.Popen[bytes]
    first_port: int
    second_port: int
    env: dict[str, str]
    folder: Path
    proxy_prefix: Path

    def restart_second(self) -> None:
        """Kill the second process outright (SIGKILL, as a crash) and start it again."""
        harness.kill(self.second)
        self.second = _start_second(self.second_port, self.env, self.folder)

    def stop(self) -> None:
        for process in (self.proxy, self.second, self.first):
            harness.stop(process)
        shutil.rmtree(self.proxy_prefix, ignore_errors=True)


def _start_second(port: int, env: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    second_env = {**env, "GRANIAN_WORKERS": "1"}
    command = harness.app_command(port, backend_only=True)
    return harness.launch(
        command, second_env, folder / "second.log", [f"http://127.0.0.1:{port}/ping"]
    )


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError(
            "nginx is missing: scripts/ensure-system.sh installs Debian's nginx-light"
        )
    return found


def start(database_url: str, issuer: str, folder: Path, **settings: str) -> Cluster:
    """``settings``: the app processes' environment (REDIS_URL is required: the processes
    share tab state through it; GRANIAN_WORKERS: the first process's workers)."""
    public, first_port, second_port = (harness.free_port() for _ in range(3))
    url = f"http://localhost:{public}"
    pages = harness.web_dir(cluster=True)
    # Both processes name the public address: the pages' socket URL, sign-in redirects.
    env = harness.app_environment(
        database_url,
        issuer,
        REFLEX_API_URL=url,
        REFLEX_DEPLOY_URL=url,
        REFLEX_WEB_WORKDIR=str(pages),
        **settings,
    )
    first_url = f"http://127.0.0.1:{first_port}"
    first = harness.launch(
        harness.app_command(first_port),
        env,
        folder / "first.log",
        [f"{first_url}/ping", f"{first_url}/"],
    )
    try:
        second = _start_second(second_port, env, folder)
    except BaseException:
        harness.stop(first)
        raise
    # nginx's workers (nobody, when the master is root) write large bodies to temporary
    # files under the prefix: a folder of its own they can reach, not pytest's private one.
    prefix = Path(tempfile.mkdtemp(prefix="wfm-nginx-"))
    prefix.chmod(0o755)
    config = NGINX_CONF.read_text()
    for key, value in {
        "PREFIX": str(prefix),
        "LISTEN": f"127.0.0.1:{public}",
        "PAGES": str(pages / "build" / "client"),
        "APP_A": f"127.0.0.1:{first_port}",
        "APP_B": f"127.0.0.1:{second_port}",
        # the backend-only process answers the API (README, "Several servers")
        "API": f"127.0.0.1:{second_port}",
    }.items():
        config = config.replace("{{" + key + "}}", value)
    (prefix / "nginx.conf").write_text(config)
    command = [_nginx(), "-p", str(prefix), "-e", "stderr", "-c", "nginx.conf", "-g", "daemon off;"]
    try:
        proxy = harness.launch(command, env, folder / "nginx.log", [f"{url}/ping", f"{url}/"])
    except BaseException:  # leave nothing running behind a failed start
        for process in (second, first):
            harness.stop(process)
        raise
    return Cluster(url, first, second, proxy, first_port, second_port, env, folder, prefix)
