"""Who met, where and when, what they committed to, and whether they kept it.

Every model here is a ``TrackedModel``: each change is a revision with user, time and
reason. Texts that readers see come in English and Russian (``*_en``/``*_ru``); quotes
stay in the language of their source.
"""

from .commitments import (
    COMMITMENT_STATUS_HELP,
    Commitment,
    CommitmentKind,
    CommitmentQuerySet,
    CommitmentQuote,
    CommitmentStatus,
)
from .compliance import (
    COMPLIANCE_SCORE_HELP,
    Assessment,
    ComplianceScore,
    Evidence,
    score_text,
)
from .meetings import (
    Delegation,
    Meeting,
    MeetingBody,
    MeetingQuerySet,
    Session,
    SessionFormat,
)
from .reference import (
    Country,
    Language,
    Person,
    ScoStatus,
    Source,
    Topic,
    check_quote_in_source,
    normalise_space,
)

__all__ = [
    "COMMITMENT_STATUS_HELP",
    "COMPLIANCE_SCORE_HELP",
    "Assessment",
    "Commitment",
    "CommitmentKind",
    "CommitmentQuerySet",
    "CommitmentQuote",
    "CommitmentStatus",
    "ComplianceScore",
    "Country",
    "Delegation",
    "Evidence",
    "Language",
    "Meeting",
    "MeetingBody",
    "MeetingQuerySet",
    "Person",
    "ScoStatus",
    "Session",
    "SessionFormat",
    "Source",
    "Topic",
    "check_quote_in_source",
    "normalise_space",
    "score_text",
]
