#!/usr/bin/env bash
# Start the real servers some tests need, on loopback: Redis (6379) and PostgreSQL (5432, user/password bolt).
# Installs them from Debian packages when missing. Idempotent.
set -euo pipefail

need_install=()
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_install+=(postgresql)
if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "services: need root to install ${need_install[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null
fi

pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
pg_data=/tmp/bolt-pg
if ! "$pg_bin/pg_isready" -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if [ ! -s "$pg_data/PG_VERSION" ]; then
    rm -rf "$pg_data"; mkdir -p "$pg_data"; chown postgres "$pg_data"
    echo bolt > /tmp/bolt-pg-pw; chown postgres /tmp/bolt-pg-pw
    su postgres -c "$pg_bin/initdb -D $pg_data -U bolt --pwfile=/tmp/bolt-pg-pw -A md5" >/dev/null
  fi
  su postgres -c "$pg_bin/pg_ctl -D $pg_data -l $pg_data/server.log -o '-h 127.0.0.1 -p 5432 -k /tmp' -w start" >/dev/null
fi
for _ in $(seq 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.1; done
"$pg_bin/pg_isready" -h 127.0.0.1 -p 5432 -q
echo "services: redis 127.0.0.1:6379, postgresql 127.0.0.1:5432 (bolt/bolt)"
