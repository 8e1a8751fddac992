"""Who met, where and when, and what they committed to.

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
    "Commitment",
    "CommitmentKind",
    "CommitmentQuerySet",
    "CommitmentQuote",
    "CommitmentStatus",
    "Country",
    "Delegation",
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
]
