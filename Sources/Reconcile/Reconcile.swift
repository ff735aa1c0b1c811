// The Reconcile layer; see docs/architecture.md.
