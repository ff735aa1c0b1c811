#!/usr/bin/env bash
# Installs the system packages ngrokctl builds and tests with, when they are missing.
set -euo pipefail
need=()
for p in libyaml-dev libgit2-dev libcurl4-openssl-dev pkg-config libsqlite3-dev openssl python3 python3-pip git openssh-server; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The official Python client is the emulator's wire-compatibility check.
python3 -c 'import ngrok' 2>/dev/null || python3 -m pip install -q 'ngrok-api==0.4.0' jsonschema >/dev/null 2>&1 || \
  python3 -m pip install -q --break-system-packages 'ngrok-api==0.4.0' jsonschema >/dev/null
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema >/dev/null 2>&1 || true
