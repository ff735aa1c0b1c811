// The Controller layer; see docs/architecture.md.
