"""``/changes/``: every public revision of every tracked record, newest first.

The record types, and the filters each answers to, come from the models' ``Tracking``
declarations. The union of the history tables is paginated in the database; a page is
then described (titles, diffs, editors) with a fixed number of queries per record type.
"""

import hashlib
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import CharField, Q, Value
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from .diffs import KIND_LABELS, RelatedNames, Revision, describe_changes
from .filters import QuickSelect, record_menus
from .freshness import cached_until_public_change
from .options import tracked_model, tracked_models
from .recording import historical_m2m_model, history_manager
from .states import PublicKind
from .timetravel import materialize

COLUMNS = (
    "history_id",
    "id",
    "history_date",
    "history_type",
    "history_user_id",
    "reverted_to_history_id",
)


def filter_target(model, lookup: str):
    """(model whose records the filter chooses, field holding the filter's key) at the end
    of ``lookup``: ``"country__code"`` from a figure is (Country, "code")."""
    *path, key = lookup.split("__")
    for name in path:
        model = model._meta.get_field(name).related_model
    return model, key


def filter_condition(model, lookup: str, value) -> Q:
    """Revisions of ``model`` whose record matches ``lookup`` = ``value``: through the
    revision's own columns where the relation is kept in history (fields, foreign keys,
    tracked many-to-many sets), else through the record's current relations."""
    first, _sep, rest = lookup.partition("__")
    try:
        field = model._meta.get_field(first)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.concrete and not field.many_to_many:
        if not rest:
            return Q(**{first: value})
        ids = field.related_model._default_manager.filter(**{rest: value}).values("pk")
        return Q(**{f"{field.attname}__in": ids})
    if field is not None and field.name in model.tracking.m2m_fields:
        ids = field.related_model._default_manager.filter(**{rest: value}).values("pk")
        target = get_m2m_reverse_field_name(field)
        rows = historical_m2m_model(model, field)._default_manager.filter(
            **{f"{target}_id__in": ids}
        )
        return Q(history_id__in=rows.values("history_id"))
    return Q(id__in=model._default_manager.filter(**{lookup: value}).values("id"))


def filter_keys() -> dict[str, tuple]:
    """{filter name: (model it chooses among, key field)} over every tracked model."""
    keys: dict[str, tuple] = {}
    for model in tracked_models():
        for name, lookups in model.tracking.changes_filters.items():
            keys.setdefault(name, filter_target(model, lookups[0]))
    return keys


class ChangesForm(forms.Form):
    type = forms.ChoiceField(label=_("Record type"), required=False)
    revision = forms.ChoiceField(
        label=_("Revision type"),
        required=False,
        choices=[("", _("Any revision")), *KIND_LABELS.items()],
    )
    since = forms.DateField(label=_("From (date)"), required=False)
    until = forms.DateField(label=_("To (date)"), required=False)

    def __init__(self, *args, staff=False, moment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            ("", _("Any record")),
            *[(m.tracking.key, capfirst(m._meta.verbose_name)) for m in tracked_models()],
        ]
        wanted = filter_keys()
        menus = record_menus("changes", wanted, moment)
        for name, (model, _key) in wanted.items():
            self.fields[name] = forms.ChoiceField(
                label=capfirst(model._meta.verbose_name),
                required=False,
                choices=[("", _("All")), *menus[name]],
                widget=QuickSelect(menu=menus[name]),
            )
        if staff:
            self.fields["editor"] = forms.ModelChoiceField(
                label=_("Editor"),
                queryset=get_user_model().objects.filter(is_staff=True).order_by("username"),
                to_field_name="username",
                required=False,
                empty_label=_("Any editor"),
            )

    def clean(self):
        data = super().clean()
        if "editor" in self.data and "editor" not in self.fields:
            raise forms.ValidationError(_("Only signed-in editors can filter by editor."))
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


def changes_queryset(data: dict, *, until=None, newest: int | None = None):
    """The union of every matching public revision, as rows of ``COLUMNS`` + type.

    With ``newest``, each history table gives only its ``newest`` matching revisions:
    enough for any page ending at or before that row, and each table is then read from
    its index on (history_date DESC, history_id DESC) and stops there, instead of the
    union of every revision being sorted for one page."""
    parts = []
    models = [tracked_model(data["type"])] if data.get("type") else tracked_models()
    record_filters = {name: data[name] for name in filter_keys() if data.get(name)}
    for model in models:
        history = model.history.public()
        if data.get("revision"):
            history = history.filter(public_kind=data["revision"])
        if data.get("since"):
            history = history.filter(history_date__date__gte=data["since"])
        if data.get("until"):
            history = history.filter(history_date__date__lte=data["until"])
        if until is not None:
            history = history.filter(history_date__lte=until)
        declared = model.tracking.changes_filters
        if any(name not in declared for name in record_filters):
            continue
        for name, value in record_filters.items():
            condition = Q()
            for lookup in declared[name]:
                condition |= filter_condition(model, lookup, value)
            history = history.filter(condition)
        if data.get("editor"):
            history = history.filter(history_user=data["editor"])
        if newest is not None:
            keys = history.order_by("-history_date", "-history_id").values("history_id")
            history = history_manager(model).filter(history_id__in=keys[:newest])
        parts.append(
            history.annotate(record_type=Value(model.tracking.key, output_field=CharField()))
            .order_by()
            .values(*COLUMNS, "record_type")
        )
    if not parts:
        return None
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-history_id", "record_type")


@dataclass
class Change(Revision):
    record_type_key: str = ""
    record_type: str = ""
    title: str = ""
    url: str = ""
    history_url: str = ""


def describe_page(rows, *, show_editor_names=False) -> list[Change]:
    """Describe one page of union rows: a few queries per record type on the page."""
    by_type: dict[str, list] = {}
    for row in rows:
        by_type.setdefault(row["record_type"], []).append(row["history_id"])
    described = {}
    for key, history_ids in by_type.items():
        model = tracked_model(key)
        records = list(
            model.history.public()
            .filter(history_id__in=history_ids)
            .select_related("history_user")
            ._select_related_history_tracked_objs()
        )
        earlier = previous_revisions(model, records)
        names = RelatedNames(model, [*records, *earlier.values()], public=True)
        instances = dict(zip([r.history_id for r in records], materialize(records), strict=True))
        for record in records:
            previous = earlier.get(record.history_id)
            kind = record.public_kind
            changes = []
            if previous is not None and kind not in (PublicKind.DELETED, PublicKind.WITHDRAWN):
                changes = describe_changes(model, previous, record, names)
            instance = instances[record.history_id]
            described[(key, record.history_id)] = Change(
                record=record,
                kind=kind,
                changes=changes,
                show_editor_names=show_editor_names,
                record_type_key=key,
                record_type=str(model._meta.verbose_name),
                title=str(instance),
                url=model.tracking.url(instance) if record.history_type != "-" else "",
                history_url=model.tracking.history_url(instance),
            )
    return [described[(row["record_type"], row["history_id"])] for row in rows]


def previous_revisions(model, records) -> dict:
    """{history_id: the public revision just before it, of the same record}."""
    if not records:
        return {}
    latest = max(record.history_date for record in records)
    candidates = (
        model.history.public()
        .filter(id__in={record.id for record in records}, history_date__lte=latest)
        .order_by("id", "-history_date", "-history_id")
    )
    by_record: dict = {}
    for candidate in candidates:
        by_record.setdefault(candidate.id, []).append(candidate)
    result = {}
    for record in records:
        for candidate in by_record.get(record.id, []):
            if (candidate.history_date, candidate.history_id) < (
                record.history_date,
                record.history_id,
            ):
                result[record.history_id] = candidate
                break
    return result


# Pages are counted no further than this many past the one asked for.
PAGES_AHEAD = 4


class ChangesPaginator(Paginator):
    """Pages of the union that never count it whole: the count stops ``PAGES_AHEAD``
    pages past the page asked for (``count_is_partial`` then says there are more), so a
    page costs what the rows up to it cost, however long the history."""

    def __init__(self, data, *, until, per_page, page_number):
        self.horizon = (page_number + PAGES_AHEAD) * per_page
        union = changes_queryset(data, until=until, newest=self.horizon + 1)
        super().__init__(union if union is not None else [], per_page)

    @cached_property
    def counted(self) -> int:
        """The rows up to the horizon, and one more if there are more."""
        return 0 if isinstance(self.object_list, list) else self.object_list.count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.horizon)

    @property
    def count_is_partial(self) -> bool:
        return self.counted > self.horizon


def paginate_changes(data, *, page_number, per_page, until=None):
    paginator = ChangesPaginator(data, until=until, per_page=per_page, page_number=page_number)
    return paginator.page(min(page_number, paginator.num_pages))


class DescribedPaginator(Paginator):
    """The paginator of a page described earlier: its count as it was counted."""

    def __init__(self, count: int, per_page: int, count_is_partial: bool):
        super().__init__(range(count), per_page)
        self.count_is_partial = count_is_partial


def described_page(data, *, page_number, per_page, until=None, show_editor_names=False):
    """A page of ``/changes/`` (or of its feed), described, and kept until the next public
    change: nothing it shows can change before one (as of a past moment, nothing at all),
    so a busy first page is worked out once per change rather than once per visit."""

    def describe():
        page = paginate_changes(data, page_number=page_number, per_page=per_page, until=until)
        rows = list(page.object_list)
        changes = describe_page(rows, show_editor_names=show_editor_names)
        return changes, page.number, page.paginator.count, page.paginator.count_is_partial

    asked = repr((sorted((k, str(v)) for k, v in data.items()), page_number, per_page))
    digest = hashlib.sha256(f"{asked}{show_editor_names}".encode()).hexdigest()[:32]
    language = translation.get_language() or ""
    changes, number, count, partial = cached_until_public_change(
        f"changes:{digest}:{language}", describe, as_of=until
    )
    page = DescribedPaginator(count, per_page, partial).page(number)
    page.object_list = changes
    return page
