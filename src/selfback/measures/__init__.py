"""Standard questionnaires (PHQ-9, GAD-7, WHO-5, PCL-5 and the PHQ-2 / GAD-2 screens).

Instruments are data (``measures/data/*.json``, validated by ``measures.schema``);
``measures.library`` loads them, ``measures.scoring`` scores them, ``measures.reminders``
says which are overdue and ``measures.export_info`` describes them for exports.
This package never prints and never reads stdin.
"""
