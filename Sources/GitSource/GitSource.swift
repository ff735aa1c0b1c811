// The GitSource layer; see docs/architecture.md.
