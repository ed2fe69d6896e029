"""What selfback says: one catalogue of user-facing text per area."""
