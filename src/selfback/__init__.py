"""selfback: a private, offline coping companion for the command line."""

__version__ = "0.1.0"
