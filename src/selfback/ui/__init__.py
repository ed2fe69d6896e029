"""Terminal rendering and prompts. Only the CLI layer uses this package."""
