"""The local log: SQLite (standard library), WAL, migrations, typed reads and writes."""
