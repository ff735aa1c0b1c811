// The Manifests layer; see docs/architecture.md.
