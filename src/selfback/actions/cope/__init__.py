"""Running a coping session: `selfback cope` as a use case.

A *session* is one skill walked through, step by step, and logged
(``selfback.store.sessions.CopingSession``); one ``cope`` may hold several (a switch to
something calming, or another skill when it is still hard). The parts:

- ``flow``: the controller (:class:`~selfback.actions.cope.flow.Cope`): the 0-10
  question before and after, crisis help first where it is due, choosing, the crisis
  moment inside a skill and the switch; it talks to the person only through
  :class:`~selfback.actions.cope.flow.CopeScreens` (``selfback.ui.walkthrough``).
- ``sessions``: a session's life in the log: started, saved after every step, saved as
  stopped on Ctrl-C or end of input, rated after.
- ``skills``: the skill library (loaded in the background while the first question is
  answered), ranking and the calming choices.
- ``situations``: what ``--for`` and typed words mean, and the risk they may carry.

Everything here imports only the standard library at module level: the first question
appears before rich, YAML, pydantic or sqlite3 are loaded.
"""
