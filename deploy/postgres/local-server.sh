#!/usr/bin/env bash
# A plain PostgreSQL server from the distribution's packages (Debian/Ubuntu: PostgreSQL 15 on
# Debian 12), started in a folder of its own on a port of its own, for running Tapline or its
# test suite against a real server instead of the embedded one.
#
#   deploy/postgres/local-server.sh start [DIR] [PORT]   install if needed, create, start; prints
#                                                        the admin URL (TEST_DATABASE_URL)
#   deploy/postgres/local-server.sh stop  [DIR]
#
# PG_SCRATCH=1 turns durability off (fsync, synchronous_commit, full_page_writes): for tests.
# Needs root (or sudo) for the package install only; the server runs as the `postgres` user.
set -euo pipefail

cmd=${1:-start}
dir=${2:-/var/tmp/tapline-pg}
port=${3:-54315}
version=${PG_VERSION:-15}
bin=/usr/lib/postgresql/$version/bin
password=${PG_ADMIN_PASSWORD:-tapline-local-admin}

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "$cmd" in
start)
    if [ ! -x "$bin/postgres" ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # The server package carries the contrib extensions Tapline needs (pg_trgm,
        # fuzzystrmatch, pgcrypto, pg_stat_statements). No cluster is created by us here.
        apt-get install -y -qq --no-install-recommends "postgresql-$version" >/dev/null
    fi
    install -d -o postgres -g postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
        pwfile=$(mktemp); echo "$password" >"$pwfile"; chown postgres "$pwfile"
        as_postgres "$bin/initdb" -D "$dir" -U postgres --pwfile="$pwfile" -A scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
        cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 256MB
shared_preload_libraries = 'pg_stat_statements'
CONF
        if [ "${PG_SCRATCH:-0}" = 1 ]; then
            # A scratch server for tests: durability traded for speed, as the embedded one.
            printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off" \
                >>"$dir/postgresql.conf"
        fi
    fi
    if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start >/dev/null
    fi
    echo "postgresql://postgres:$password@127.0.0.1:$port/postgres"
    ;;
stop)
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
*)
    echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2
    ;;
esac
