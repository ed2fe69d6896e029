"""Trackers: the questions a check-in asks, as data (built-in, optional packs, your own)."""
