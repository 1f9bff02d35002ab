#!/usr/bin/env bash
# Installs what a fresh Debian machine with Python lacks, then the project's virtualenv.
# Idempotent and quick when everything is already there.  WITH_BROWSER=1 adds Chromium
# (only the browser tests need it).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/pgcrypto.control ] || missing+=(postgresql-contrib)
ldconfig -p | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)   # WeasyPrint font subsetting
command -v pdftotext >/dev/null || missing+=(poppler-utils)
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)   # tests/core/test_pgbouncer.py: transaction pooling
if [ "${WITH_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null || missing+=(chromium)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "==> apt-get install ${missing[*]}"
  # Debian's package would create and start a cluster of its own; we run our own instead.
  $sudo mkdir -p /etc/postgresql-common
  grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf \
    || echo 'create_main_cluster = false' | $sudo tee -a /etc/postgresql-common/createcluster.conf >/dev/null
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Nor the PgBouncer service Debian enables: the tests start their own on a free port.
  if [[ " ${missing[*]} " == *" pgbouncer "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now pgbouncer >/dev/null 2>&1 || true
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> python -m venv .venv"
  "$python" -m venv .venv
fi
# Reinstall only when the dependency list changed.
stamp=.venv/.setup-stamp
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> pip install -e .[dev]"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  touch "$stamp"
fi
.venv/bin/python -m app.core.i18n compile
