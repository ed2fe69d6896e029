"""The walk-through engine: a pure state machine over a skill's steps (no I/O).

- ``selfback.walk.engine``: :class:`Walk`, one step at a time (imports the skill schema).
- ``selfback.walk.rules``: when to show crisis resources, when to offer more help, and
  how a change in distress is worded (stdlib only, cheap to import).
"""
