#!/usr/bin/env bash
# Makes sure what the test suite needs outside Python is there: Debian's chromium for
# Playwright, nginx (the e2e app runs as two processes behind it), and a running
# PostgreSQL server. Safe to run again; does nothing if all is well.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root for: $*" >&2; return 1
    fi
}

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "Installing Debian's nginx-light for the end-to-end suite..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! pg_up; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        echo "Starting PostgreSQL..."
        as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! pg_up; then
    echo "PostgreSQL is not reachable on 127.0.0.1:5432 (set WFM_TEST_PG_URL to use another)." >&2
    [ -n "${WFM_TEST_PG_URL:-}" ] || exit 1
fi
