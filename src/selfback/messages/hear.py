"""What selfback says when something a person wrote or rated may mean risk.

One kind lead line before the short crisis text (which lives in selfback.safety.crisis);
never a lecture, never the person's words repeated back.
"""

from __future__ import annotations

LEAD_WORDS = "What you wrote sounds really painful. Thank you for putting it into words."
LEAD_RATING = "That urge sounds really strong today. Thank you for saying so."
LEAD_INJURY = (
    "Thank you for being honest about today. If you were hurt, please have any injury "
    "looked at by a nurse, a doctor or an urgent care service. You deserve that care."
)
