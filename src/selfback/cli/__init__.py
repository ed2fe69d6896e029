"""The command-line layer: parse arguments, call the core, render the result."""
