"""The editorial workflow: draft → in review → published (→ withdrawn).

Every transition is one revision with its reason. Publishing and withdrawing need the
model's ``publish_<model>`` permission (the Reviewers group); the check is made here, so
no caller — admin action, test or shell — can skip it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .history import PublicationState as State

# to-state → whether it needs the publish permission, for each from-state
TRANSITIONS: dict[str, dict[str, bool]] = {
    State.DRAFT: {State.IN_REVIEW: False, State.PUBLISHED: True},
    State.IN_REVIEW: {State.DRAFT: False, State.PUBLISHED: True},
    State.PUBLISHED: {State.WITHDRAWN: True},
    State.WITHDRAWN: {State.DRAFT: False, State.PUBLISHED: True},
}


class TransitionError(Exception):
    """A transition that is not allowed or whose record is not ready; the message says why."""


def publish_permission(model) -> str:
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def transition(obj, *, to_state: str, user, reason: str):
    """Move ``obj`` to ``to_state``, as ``user``, for ``reason``: one revision."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give a reason: it is kept with the revision."))
    allowed = TRANSITIONS.get(obj.state, {})
    if to_state not in allowed:
        raise TransitionError(
            _("“%(record)s” is %(state)s and cannot become %(target)s.")
            % {
                "record": obj,
                "state": State(obj.state).label,
                "target": State(to_state).label,
            }
        )
    if allowed[to_state] and not user.has_perm(publish_permission(type(obj))):
        raise PermissionDenied(_("Only reviewers can publish or withdraw."))
    obj.state = to_state
    if to_state == State.PUBLISHED:
        try:
            obj.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise TransitionError(
                _("“%(record)s” cannot be published yet: %(problems)s")
                % {"record": obj, "problems": problems}
            ) from error
    obj.stamp_revision(user=user, reason=reason)
    obj.save()
    return obj


def transition_all(objects, *, to_state: str, user, reason: str) -> int:
    """All or nothing: if one record cannot move, none does."""
    with transaction.atomic():
        for obj in objects:
            transition(obj, to_state=to_state, user=user, reason=reason)
    return len(objects)
