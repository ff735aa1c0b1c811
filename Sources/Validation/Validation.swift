// The Validation layer; see docs/architecture.md.
