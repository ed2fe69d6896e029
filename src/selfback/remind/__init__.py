"""The daily reminder: one job in the system's own scheduler, and the decision it makes.

``selfback remind set 21:00`` installs one daily job through the scheduler this computer
already has (a systemd user timer, a launchd agent, a Windows scheduled task, or a line in
the crontab); the job runs ``selfback remind run``, which shows one desktop notification on
a day without a check-in, never more than once a day, and otherwise does nothing at all.

- ``timeparse``: the times a reminder takes (21:00, 9pm, 9:30 pm, 21.30).
- ``base``: the job, what a scheduler reports, and the small interfaces tests replace
  (``Runner`` runs a program, ``Scheduler`` installs, reports and removes the job).
- ``systemd``, ``launchd``, ``windows``, ``cron``, ``folder``: one scheduler each (the
  folder one, chosen by ``SELFBACK_SCHEDULER_DIR``, is for tests).
- ``notify``: desktop notifiers (notify-send, osascript, a PowerShell toast or msg, and a
  command chosen by ``SELFBACK_NOTIFIER=command`` for tests).
- ``daily``: whether to remind today, and the small private state file that keeps it to
  once a day.
- ``system``: which scheduler and notifier this computer has.

Nothing here prints or reads standard input.
"""
