#!/usr/bin/env bash
# The whole suite on both databases at once: SQLite (the embedded default) in the background,
# PostgreSQL (production) in the foreground. Each leg has its own database, Redis, Celery
# worker, SMTP sink and live server (tests/conftest.py), so they share nothing but the
# PostgreSQL cluster; run side by side on two cores the suite takes little more than one leg
# (much of it waits on workers, browsers and servers). The SQLite leg's output is kept in
# .test-logs/sqlite.log and printed when it ends. Both legs must pass.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-logs
log=.test-logs/sqlite.log
TEST_BACKEND=sqlite .venv/bin/pytest "$@" >"$log" 2>&1 &
sqlite=$!
trap 'kill "$sqlite" 2>/dev/null' INT TERM
echo "test: the SQLite leg runs in the background (output: $log); the PostgreSQL leg follows"
TEST_BACKEND=postgresql .venv/bin/pytest "$@"
postgresql=$?
wait "$sqlite"
sqlite_status=$?
echo
echo "=== the SQLite leg ($log) ==="
cat "$log"
echo
echo "test: PostgreSQL leg exit $postgresql, SQLite leg exit $sqlite_status"
[ "$postgresql" -eq 0 ] && [ "$sqlite_status" -eq 0 ]
