"""The skill library: schema, loading and validation of skill YAML files."""
