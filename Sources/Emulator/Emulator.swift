// The Emulator layer; see docs/architecture.md.
