#!/usr/bin/env bash
# Generates the keys and certificates the examples reference (never committed).
set -euo pipefail
out=examples/production/generated
[ -f "$out/app.key" ] && exit 0
mkdir -p "$out"
cd "$out"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=Example Device CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout client-ca.key -out client-ca.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=Example Intermediate CA" \
  -addext "basicConstraints=critical,CA:TRUE" -keyout issuer.key -out issuer.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=app.example.com" \
  -keyout app.key -out app.csr 2>/dev/null
printf 'subjectAltName=DNS:app.example.com\nbasicConstraints=CA:FALSE\n' > app.ext
openssl x509 -req -in app.csr -CA issuer.pem -CAkey issuer.key -CAcreateserial -days 825 -extfile app.ext -out app-leaf.pem 2>/dev/null
cat app-leaf.pem issuer.pem > app-bundle.pem
chmod 600 ./*.key
rm -f app.csr app.ext issuer.srl
