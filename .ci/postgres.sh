#!/usr/bin/env bash
# Make sure a PostgreSQL server listens on 127.0.0.1:5432 with trust auth and a
# database `test` (the tests' COUNCILPLAN_TEST_POSTGRES_URL). On the development
# machines it is already running; elsewhere install and configure it.
set -euo pipefail
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fresh=1
else
  fresh=0
fi
ver=$(ls /etc/postgresql | sort -V | tail -n 1)
if [ "$fresh" = 1 ]; then
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
fi
if ! ready; then
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
fi
for _ in $(seq 1 30); do ready && break; sleep 1; done
ready || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname='test'" \
    | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -c "create database test" >/dev/null
fi
