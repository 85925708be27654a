#!/bin/bash
# Interleaved whole-process pairs at 2 processes (docs/speed.md, "Where it stands"):
#   scripts/bench_pairs.sh ROUNDS CORPUS SRC...
# Each round runs bare spaCy (`python -m newsledger.evaluate.bare_spacy CORPUS --processes 2`,
# with the first SRC's code), then `newsledger ingest` of CORPUS into a fresh SQLite ledger with
# each SRC's code (PYTHONPATH=SRC, the default runner), each under /usr/bin/time: wall, and CPU
# as user + sys of the process and its children. Each SRC keeps its own warm cache
# (NEWSLEDGER_CACHE=/tmp/bench-pairs-cache-N); run one ingest per SRC first to warm it.
# PYTHON and NEWSLEDGER name the interpreter and the command (default: those on PATH).
set -euo pipefail
ROUNDS=$1; CORPUS=$(realpath "$2"); shift 2
PY=${PYTHON:-python}
NL=${NEWSLEDGER:-newsledger}
WORK=$(mktemp -d)
for r in $(seq 1 "$ROUNDS"); do
  PYTHONPATH=$1 /usr/bin/time -f "round $r bare: %e s wall, %U s user, %S s sys" \
    "$PY" -m newsledger.evaluate.bare_spacy "$CORPUS" --processes 2 > /dev/null
  n=0
  for src in "$@"; do
    n=$((n + 1)); rm -f "$WORK"/ledger.db*
    NEWSLEDGER_CACHE=/tmp/bench-pairs-cache-$n PYTHONPATH=$src \
      /usr/bin/time -f "round $r $src: %e s wall, %U s user, %S s sys" \
      "$NL" ingest --quiet --db "$WORK/ledger.db" "$CORPUS" > /dev/null
  done
done
rm -rf "$WORK"
