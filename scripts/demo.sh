#!/usr/bin/env bash
# The main job on the embedded emulator: validate, plan, apply, then show a second plan is empty.
set -euo pipefail
BIN=${BIN:-.build/debug/ngrokctl}
STACK=${STACK:-examples/quickstart}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="local:$work/demo.sqlite"
export NGROK_API_KEY=${NGROK_API_KEY:-demo-local-key}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "ngrokctl validate $STACK"
"$BIN" validate "$STACK"

step "ngrokctl plan $STACK --api-url $db"
"$BIN" plan "$STACK" --api-url "$db"

step "ngrokctl apply $STACK --api-url $db --auto-approve"
"$BIN" apply "$STACK" --api-url "$db" --auto-approve

step "ngrokctl plan $STACK --api-url $db --detailed-exitcode   (expect: no changes, exit 0)"
set +e
"$BIN" plan "$STACK" --api-url "$db" --detailed-exitcode
code=$?
set -e
if [ "$code" -ne 0 ]; then echo "demo: the second plan was not empty (exit $code)" >&2; exit 1; fi
step "done: the account (emulated, $work/demo.sqlite) matches $STACK"
