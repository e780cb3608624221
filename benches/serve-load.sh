#!/usr/bin/env bash
# The dev server's full load run: `folio serve` on a copy of the repository's handbook on a free
# 127.0.0.1 port, wrk with 2 threads and 100 connections for 30 s over 20 of its pages while a
# page is edited 5 times a second; then a client sending one header byte a second while other
# requests are timed; then the server's threads, open files and RSS against their levels before
# the load. Prints wrk's report and the figures; fails on any non-2xx response or socket error.
# Loopback only, about a minute in all. CI runs the shorter in-process version of the same
# checks (tests/integration/serve_load.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
exec cargo test --test integration serve_load::wrk_for_30_s_on_the_handbook \
  -- --ignored --nocapture
