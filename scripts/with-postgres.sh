#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server on a free loopback port.
# initdb refuses to run as root, so the server runs as the postgres user.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "错误：未找到 PostgreSQL（apt-get install postgresql）" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

datadir=$(mktemp -d /tmp/leniency-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$datadir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
    as_pg "$bindir/pg_ctl" -D "$datadir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$datadir"
}
trap cleanup EXIT

as_pg "$bindir/initdb" -D "$datadir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $datadir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres leniency
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') 已在 127.0.0.1:$port 启动（临时）"

export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/leniency"
export LENIENCY_VAR_DIR="$datadir/var"
mkdir -p "$LENIENCY_VAR_DIR"
set +e
"$@"
status=$?
set -e
# pytest exits 5 when a selection holds no test: not a failure of this run.
[ "$status" = 5 ] && status=0
exit "$status"
