"""The editorial workflow: draft → in review → published (→ withdrawn).

Every transition is one revision with its reason. Publishing and withdrawing need the
model's ``publish_<model>`` permission (the Reviewers group); the check is made here, so
no caller — admin action, test or shell — can skip it. A record is published only when
its public parents are public: otherwise the admin would call it published while no reader
could see it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .options import tracked_models
from .recording import revision
from .states import TRANSITIONS, publish_permission
from .states import PublicationState as State


class TransitionError(Exception):
    """A transition that is not allowed or whose record is not ready; the message says why."""


def hidden_parents(obj) -> list:
    """The public parents of ``obj`` that are not public now."""
    hidden = []
    for foreign_key, _optional in type(obj).tracking.parents:
        parent_id = getattr(obj, foreign_key.attname)
        if parent_id is None:
            continue
        parent_model = foreign_key.related_model
        if not parent_model._default_manager.all().published().filter(pk=parent_id).exists():
            hidden.append(getattr(obj, foreign_key.name))
    return hidden


def visible_children(obj) -> list:
    """The public records that are public only while ``obj`` is (its public children):
    what disappears with it if it is withdrawn."""
    children = []
    for model in tracked_models():
        for foreign_key, _optional in model.tracking.parents:
            if isinstance(obj, foreign_key.related_model):
                found = (
                    model._default_manager.all().published().filter(**{foreign_key.attname: obj.pk})
                )
                children.extend(found)
    return children


def check_transition(obj, to_state: str, user) -> None:
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
    if to_state == State.PUBLISHED:
        parents = hidden_parents(obj)
        if parents:
            raise TransitionError(
                _("“%(record)s” cannot be published while %(parents)s is not public.")
                % {"record": obj, "parents": ", ".join(f"“{parent}”" for parent in parents)}
            )


def transition(obj, *, to_state: str, user, reason: str):
    """Move ``obj`` to ``to_state``, as ``user``, for ``reason``: one revision."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give a reason: it is kept with the revision."))
    check_transition(obj, to_state, user)
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
    with revision(user=user, reason=reason):
        if to_state == State.WITHDRAWN:
            withdraw_children(obj, user=user, reason=reason)
        obj.save()
    return obj


def withdraw_children(obj, *, user, reason: str) -> None:
    """Children published under ``obj`` leave with it, each with a withdrawal revision:
    no record stays "published" while no reader can see it."""
    for child in visible_children(obj):
        if getattr(child, "state", None) == State.PUBLISHED:
            transition(
                child,
                to_state=State.WITHDRAWN,
                user=user,
                reason=_("Withdrawn with “%(parent)s”: %(reason)s")
                % {"parent": obj, "reason": reason},
            )


def transition_all(objects, *, to_state: str, user, reason: str) -> int:
    """All or nothing: if one record cannot move, none does."""
    with transaction.atomic():
        for obj in objects:
            transition(obj, to_state=to_state, user=user, reason=reason)
    return len(objects)
