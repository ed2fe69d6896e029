"""What selfback says: one catalogue of user-facing text per area.

``common`` holds the lines every area shares (where crisis help is, how a stop is said);
``cope``, ``checkin``, ``history``, ``measure``, ``plan`` and ``hear`` hold their own.
A template has named ``{fields}``, filled with ``str.format`` by the code that shows it.
The crisis text itself is not here: it lives once, in ``selfback.safety.crisis``.

Standard library only, and nothing but strings: every module here is cheap to import on
the way to a first prompt.
"""
