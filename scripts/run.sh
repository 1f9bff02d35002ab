#!/usr/bin/env bash
# `make run`: set up, migrate, load demo data, then serve the app with its background worker.
# Without DATABASE_URL a private PostgreSQL 15 cluster lives in instance/ and is reused.
# Ctrl-C stops the web server, the worker and the private cluster together (the data stays).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

if [ -z "${DATABASE_URL:-}" ]; then
  socket=$(python3 scripts/pgcluster.py start instance --database ses)
  echo "==> PostgreSQL 15 on unix socket $socket (database ses)"
  # Until the first production release the baseline migrations are edited in place: a local
  # demo database built from an older design is rebuilt rather than left half-migrated.
  schema=$(cat migrations/versions/*.py migrations/sql/*.sql migrations/sql/security/*.sql | sha256sum | cut -c1-16)
  if [ -f instance/schema.sha ] && [ "$(cat instance/schema.sha)" != "$schema" ]; then
    echo "==> the database design changed since this local instance was built: rebuilding the demo database"
    python3 scripts/pgcluster.py recreate instance --database ses
  fi
fi

flask=".venv/bin/flask --app wsgi"
echo "==> migrating"
$flask db upgrade
echo "==> demo data"
$flask ses demo
[ -n "${DATABASE_URL:-}" ] || echo "$schema" > instance/schema.sha
$flask ses logins

children=()
stop_children() {
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${DATABASE_URL:-}" ] || python3 scripts/pgcluster.py stop instance >/dev/null || true
}
trap stop_children EXIT
trap 'exit 130' INT TERM

if [ -z "${SES_SMTP_HOST:-}" ]; then
  # No mail relay configured: a local SMTP sink keeps every mail for the admin's mailbox page.
  export SES_MAIL_SINK_DIR="${SES_MAIL_SINK_DIR:-$PWD/instance/mail}"
  echo "==> local mail sink on 127.0.0.1:${SES_SMTP_PORT:-8025} (read the mails under 通知・配信 → ローカルメールボックス)"
  .venv/bin/python -m app.notifications.mailsink "$SES_MAIL_SINK_DIR" "${SES_SMTP_PORT:-8025}" &
  children+=($!)
fi

echo "==> background worker (events, notifications, reports, scheduled jobs)"
$flask ses worker &
children+=($!)

echo "==> serving on http://127.0.0.1:5000"
.venv/bin/gunicorn --config scripts/gunicorn.conf.py --bind 127.0.0.1:5000 wsgi:app &
children+=($!)
wait -n "${children[@]}"
