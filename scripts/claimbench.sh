#!/usr/bin/env bash
# Score kb on the independent claimbench: ingest its articles into a temporary database, export
# entities and claims, and run the benchmark's own scorer. Development only: the benchmark lives
# outside this repository (default ../shared/claimbench; set CLAIMBENCH=/path or pass it as $1).
# Extra arguments go to score.py (e.g. --show 5). The last line printed is the JSON summary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-${CLAIMBENCH:-$here/../shared/claimbench}}
[ $# -gt 0 ] && shift
if [ ! -f "$bench/score.py" ]; then
  echo "claimbench not found at $bench (set CLAIMBENCH or pass its folder)" >&2
  exit 2
fi
kb=${KB:-$here/.venv/bin/kb}
py=${PYTHON:-$here/.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$kb" ingest "$bench/articles" --db "$tmp/cb.db" >"$tmp/ingest.log" 2>&1 || { cat "$tmp/ingest.log" >&2; }
"$kb" export entities --db "$tmp/cb.db" -o "$tmp/e.jsonl" >/dev/null
"$kb" export claims --db "$tmp/cb.db" -o "$tmp/c.jsonl" >/dev/null
if [ -n "${KEEP:-}" ]; then cp "$tmp/e.jsonl" "$tmp/c.jsonl" "$tmp/cb.db" "$KEEP"/; fi
"$py" "$bench/score.py" "$bench" "$tmp/e.jsonl" "$tmp/c.jsonl" "$@"
