"""Aggregates over the log: trends, skill effectiveness, measures over time.

Everything here reads the database with SQL aggregates and range queries and returns plain
dataclasses. This package never prints and never reads stdin; the terminal (``selfback
trends``) and the exports render what it returns.
"""
