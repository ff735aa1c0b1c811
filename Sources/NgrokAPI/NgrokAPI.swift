// The NgrokAPI layer; see docs/architecture.md.
