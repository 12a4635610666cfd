#!/usr/bin/env bash
# Installs (when missing) and starts the PostgreSQL server the tests use, and makes sure
# redis-server, Chromium, Java and npm (for the HTML checker) and SpamAssassin (the spam
# score test) are present.
# `scripts/services.sh packages` only installs; `scripts/services.sh stop` stops PostgreSQL;
# `scripts/services.sh python-deps` installs only what the Python dependencies need.
# PostgreSQL's initdb refuses root, so as root the cluster runs as an unprivileged user.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVICES=${CAMPAIGN_SERVICES_DIR:-$ROOT/.services}
PG_PORT=${TEST_PG_PORT:-54329}
PG_USER=campaign
RUN_AS=$(id -un)

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "services: missing $*; install it (as root: apt-get install -y $*)" >&2
    exit 1
  fi
  if [ ! -f /tmp/.campaign-apt-updated ]; then
    apt-get update -qq && touch /tmp/.campaign-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# What the Python dependencies need from Debian: PyICU builds against ICU (the status report's
# collation); WeasyPrint runs on Pango and sets the report's PDF in the Noto fonts (Arabic and
# Chinese included, never downloaded). Installed before the venv (Makefile) and by `start`.
PYTHON_DEB_PACKAGES=(libicu-dev pkg-config g++ libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk)

ensure_debs() {
  local package missing=()
  for package in "$@"; do
    [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == *"ok installed" ]] ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

ensure_packages() {
  [ -n "$(pg_bin)" ] || apt_install postgresql
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  command -v chromium >/dev/null 2>&1 || apt_install chromium
  command -v java >/dev/null 2>&1 || apt_install default-jre-headless
  command -v npm >/dev/null 2>&1 || apt_install npm
  command -v spamassassin >/dev/null 2>&1 || apt_install spamassassin
  ensure_debs "${PYTHON_DEB_PACKAGES[@]}" poppler-utils  # poppler: the report PDF's test
}

as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$RUN_AS" -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bin data
  bin=$(pg_bin)
  data=$SERVICES/pg
  if [ "$(id -u)" -eq 0 ]; then
    RUN_AS=campaign-pg
    id -u "$RUN_AS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_AS"
  fi
  mkdir -p "$SERVICES"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data" && mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown "$RUN_AS" "$data"
    as_pg_user "$bin/initdb" -D "$data" -U "$PG_USER" --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$SERVICES/initdb.log"
  fi
  [ "$(id -u)" -eq 0 ] && chown -R "$RUN_AS" "$data"
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    echo "services: a PostgreSQL already answers on 127.0.0.1:$PG_PORT; using it"
    return
  fi
  if as_pg_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "services: PostgreSQL already running on 127.0.0.1:$PG_PORT"
    return
  fi
  as_pg_user "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start -o \
    "-h 127.0.0.1 -p $PG_PORT -k $data -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    >/dev/null
  echo "services: PostgreSQL started on 127.0.0.1:$PG_PORT (data in $data)"
}

stop_postgres() {
  local bin data=$SERVICES/pg
  bin=$(pg_bin)
  [ -f "$data/PG_VERSION" ] || return 0
  [ "$(id -u)" -eq 0 ] && RUN_AS=campaign-pg
  as_pg_user "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  echo "services: PostgreSQL stopped"
}

case "${1:-start}" in
  start) ensure_packages; start_postgres ;;
  packages) ensure_packages ;;
  python-deps) ensure_debs "${PYTHON_DEB_PACKAGES[@]}" ;;
  stop) stop_postgres ;;
  *) echo "usage: $0 [start|packages|python-deps|stop]" >&2; exit 2 ;;
esac
