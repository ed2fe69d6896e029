"""The DBT diary card (the built-in ``diary-card`` pack): its tracker ids, in card order."""

from __future__ import annotations

DIARY_PACK = "diary-card"
DIARY_URGES = (  # (urge, acted) tracker ids, in the grid's column order
    ("urge_selfharm", "acted_selfharm"),
    ("urge_use", "acted_use"),
    ("urge_quit", "acted_quit"),
)
DIARY_ACTED_IDS = tuple(acted for _urge, acted in DIARY_URGES)
DIARY_SKILLS = "skills_used"
DIARY_TRACKERS = (*(t for pair in DIARY_URGES for t in pair), DIARY_SKILLS)
