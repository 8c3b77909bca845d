#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for the tests (Debian's `postgresql` package).
#   scripts/start-test-postgres.sh start DIR [PORT]  — initdb in DIR (if new), start on 127.0.0.1:PORT (a free
#                                                     port if none), print the superuser URL on stdout
#   scripts/start-test-postgres.sh stop DIR          — stop the cluster in DIR (fast shutdown) and wait
# Local socket connections are trusted; TCP needs the password (so tests can try a wrong one). Run as root,
# the cluster runs as the `postgres` user; run as anyone else, as that user. Nothing listens beyond 127.0.0.1.
set -euo pipefail

action="${1:-}"
dir="${2:-}"
if [[ -z "$action" || -z "$dir" ]]; then
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
fi

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
  echo "start-test-postgres: no PostgreSQL server found (apt-get install -y postgresql)" >&2
  exit 1
fi

as_owner() {
  if [[ "$(id -u)" == "0" ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    port="${3:-}"
    if [[ -z "$port" ]]; then
      port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
    fi
    mkdir -p "$dir"
    if [[ "$(id -u)" == "0" ]]; then chown postgres "$dir"; fi
    chmod 700 "$dir"
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
      if [[ "$(id -u)" == "0" ]]; then chown postgres "$dir/password"; fi
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/password" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    echo "$port" >"$dir/port"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres:$(cat "$dir/password")@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
