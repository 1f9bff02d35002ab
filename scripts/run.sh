#!/usr/bin/env bash
# `make run`: set up, migrate, load demo data, then serve the app and its worker.
# Without DATABASE_URL a private PostgreSQL 15 cluster lives in instance/ and is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

if [ -z "${DATABASE_URL:-}" ]; then
  socket=$(python3 scripts/pgcluster.py start instance --database ses)
  echo "==> PostgreSQL 15 on unix socket $socket (database ses)"
fi

flask=".venv/bin/flask --app wsgi"
echo "==> migrating"
$flask db upgrade
echo "==> demo data"
$flask ses demo
$flask ses logins

echo "==> serving on http://127.0.0.1:5000"
.venv/bin/gunicorn --config scripts/gunicorn.conf.py --bind 127.0.0.1:5000 wsgi:app
