#!/usr/bin/env bash
# Prints the performance figures of every issue. Figures, not pass/fail: each line gives its target.
# Sizes can be lowered for a quick look: BENCH_RESOURCES=2000 BENCH_APPLY=200 make bench
set -uo pipefail
BIN=${BENCH_BIN:-.build/release/ngrokctl-bench}
N=${BENCH_RESOURCES:-10000}
APPLY=${BENCH_APPLY:-1000}
echo "ngrokctl benchmarks ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
"$BIN" load "$N"
"$BIN" emulator
"$BIN" snapshot "$N"
"$BIN" plan "$N"
"$BIN" controller 10
"$BIN" secrets 100
"$BIN" bigcommit 300
"$BIN" faults "${BENCH_FAULT_SEEDS:-20}"
echo "(the next one runs at ngrok's real budget, 120 requests/minute: about $((APPLY / 2 / 60 + 1)) minutes)"
"$BIN" apply "$APPLY"
