// The Emulator layer: a local ngrok API v2 server of the endpoint-configuration era.
//
// Public surface:
// - `EmulatorConfiguration` (host, port 0 = ephemeral, dbPath nil = in memory, apiKeys (empty = any bearer key),
//   rateLimit (default 120 per rolling 60 s per key, nil = off), concurrencyLimit, faults, publicBaseURL, logger)
//   and `EmulatorConfiguration.local(dbPath:)` for `--api-url local:PATH`.
// - `FaultConfiguration` (seed, failRate, throttleRate, dropRate, lostResponseRate, latency fixed or min...max).
// - `EmulatorServer`: `start() -> base URL`, `stop()`, `serve(onStarted:)` (foreground until SIGTERM/SIGINT),
//   `statistics()`, `resetStatistics()`, `objectCount()`.
// - `GET /_emulator/stats`, `POST /_emulator/stats/reset`, `GET /_emulator/health` (the API key is required
//   as for the API; no version header, no faults, no limits).
//
// Layout: `EmulatorResponder` (HTTP: faults, version, auth, limits, body) → `APIRoute` (method + path) →
// `EmulatorAPI` (operations in one GRDB transaction each) → one `Resource` per collection
// (`Resources/`), with `EndpointModule` for the fourteen module shapes. Objects live in one SQLite table
// (`Store`); responses are rendered from the stored state with the server's base URL, so `uri` fields follow
// the port a restarted server listens on. Product rules come from the Validation module
// (`RuleViolation+APIError.swift` maps them to `ERR_NGROK_<n>`); referential rules are here.
//
// Decisions where the reference is silent (docs/product-rules.md, "Emulator decisions", and below):
// - GET of an unset module → 404; DELETE of an unset module → 204 (idempotent); explicit `null` = not specified.
// - Module PUT accepts the bare module and `{"module": {...}}` (Python 0.4.0).
// - 404 for unknown IDs has no `error_code` (as the recorded 2021 body); 1619/1408/1409/… are HTTP 400;
//   auth failures are 401 (ERR_NGROK_200 missing header, 201 unparsable, 203 unknown key).
// - Deleting a CA or TLS certificate still referenced → 400 naming the referrer. Deleting an IP policy deletes
//   its rules; configurations keep their reference to it.
// - Only writes lose their response under lost-response faults; a drop closes the connection before any
//   processing. Faults and limits do not apply to `/_emulator`.
// - Reserved addresses: `1.tcp.ngrok.io:20000` upwards for us, `1.tcp.<region>.ngrok.io:…` elsewhere.
//   Custom domains get `<9 chars>.cname.<region>.ngrok.io`; wildcard custom domains also an
//   `acme_challenge_cname_target` `<9 chars>.acme.<region>.ngrok.io`. A certificate management policy replaces an
//   uploaded certificate (and vice versa) and leaves the status "provisioning in progress".
