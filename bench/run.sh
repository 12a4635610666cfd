#!/usr/bin/env bash
# `make bench` / `make bench-quick`: installs what the benchmarks need (wrk from Debian, the
# venv with the bench extra), starts the benchmark's own PostgreSQL (port BENCH_PG_PORT,
# data in .services/bench/pg; never the test cluster on 54329), runs `python -m bench`, and
# stops on exit whatever it started. Traffic goes to 127.0.0.1 only.
set -euo pipefail

MODE=${1:-quick}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export BENCH_PG_PORT=${BENCH_PG_PORT:-54331}
PG_ENV=(env CAMPAIGN_SERVICES_DIR="$ROOT/.services/bench" TEST_PG_PORT="$BENCH_PG_PORT")

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: wrk is missing; install it (as root: apt-get install -y wrk)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

STAMP=".venv/.bench-installed-$(cksum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$STAMP" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet -e '.[test,bench]'
  rm -f .venv/.bench-installed-* && touch "$STAMP"
fi

started_pg=0
stop_all() {
  if [ "$started_pg" -eq 1 ]; then
    "${PG_ENV[@]}" scripts/services.sh stop || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

pg_isready_bin=$(ls /usr/lib/postgresql/*/bin/pg_isready 2>/dev/null | head -n 1 || true)
if [ -n "$pg_isready_bin" ] && "$pg_isready_bin" -q -h 127.0.0.1 -p "$BENCH_PG_PORT"; then
  echo "bench: a PostgreSQL already answers on 127.0.0.1:$BENCH_PG_PORT; using it, not stopping it"
else
  started_pg=1
  "${PG_ENV[@]}" scripts/services.sh start
fi

if [ "$MODE" = profile ]; then
  .venv/bin/python -m bench.profile
else
  .venv/bin/python -m bench "$MODE"
fi
