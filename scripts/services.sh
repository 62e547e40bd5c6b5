#!/usr/bin/env bash
# Makes sure the real services the tests use are running on loopback: PostgreSQL 15 on 127.0.0.1:5432
# (trust auth, database `test`) and Redis on 127.0.0.1:6379. Installs them from Debian's packages if
# they are missing (needs root), starts them if they are stopped.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
apt_install() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && psql -h 127.0.0.1 -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1; }

if ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "==> installing PostgreSQL"
    $SUDO apt-get update -q >/dev/null || true
    apt_install postgresql
  fi
  ver=$(ls /etc/postgresql | sort -V | tail -n1)
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  if ! $SUDO grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    echo "==> allowing trust auth on loopback (test machine only)"
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || \
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  psql -h 127.0.0.1 -U postgres -Atqc "select 1 from pg_database where datname='test'" | grep -q 1 || \
    psql -h 127.0.0.1 -U postgres -qc 'create database test'
fi

if ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG); then
  command -v redis-server >/dev/null || { echo "==> installing Redis"; apt_install redis-server; }
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 20); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
fi
