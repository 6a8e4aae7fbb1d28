#!/usr/bin/env bash
# Score kb on the independent claimbench: ingest its articles into a temporary database, export
# entities and claims, and run the benchmark's own scorer. Development only: the benchmark lives
# outside this repository (default ../shared/claimbench; set CLAIMBENCH=/path or pass it as $1).
# Extra arguments go to score.py (e.g. --show 5). The last line printed is the JSON summary.
# SPLIT=dev or SPLIT=heldout scores only that fixed split of the articles (README, "How good is it"): rules
# are developed looking at dev errors only; held-out numbers are reported, never inspected for errors.
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
heldout="w2_02_nvidia_openai_loi,w2_05_oracle_analyst_note,w2_08_meta_hyperion_louisiana,w2_10_amd_openai_6gw_wire,w2_13_hyperscaler_capex_note"
split=()
case "${SPLIT:-all}" in
  all) ;;
  heldout) split=(--docs "$heldout") ;;
  dev) split=(--docs "$(cd "$bench/articles" && ls *.md | sed 's/\.md$//' | grep -vxF -f <(tr , '\n' <<<"$heldout") | paste -sd,)") ;;
  *) echo "SPLIT must be all, dev or heldout" >&2; exit 2 ;;
esac
"$py" "$bench/score.py" "$bench" "$tmp/e.jsonl" "$tmp/c.jsonl" "${split[@]}" "$@"
