"""``/changes/``: every public revision across all tracked records, newest first.

The union of the history tables is paginated in the database; a page is then described
(titles, diffs, editors) with a fixed number of queries per record type on it.
"""

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import CharField, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .revisions import (
    KIND_LABELS,
    RelatedNames,
    Revision,
    describe_changes,
    public_revisions,
    revision_kind,
)
from .timetravel import materialize

# key → (app label, model name); the order is the menu's
RECORD_TYPES = {
    "figure": ("indicators", "figure"),
    "indicator": ("indicators", "indicator"),
    "commitment": ("meetings", "commitment"),
    "meeting": ("meetings", "meeting"),
    "session": ("meetings", "session"),
    "delegation": ("meetings", "delegation"),
    "quote": ("meetings", "commitmentquote"),
    "country": ("meetings", "country"),
    "person": ("meetings", "person"),
    "source": ("meetings", "source"),
    "topic": ("meetings", "topic"),
}
COLUMNS = (
    "history_id",
    "id",
    "history_date",
    "history_type",
    "history_user_id",
    "reverted_to_history_id",
)


def record_model(key):
    return apps.get_model(*RECORD_TYPES[key])


def public_history(model):
    """Revisions of ``model`` readers may see: public revisions of records whose parents
    (a figure's indicator, a delegation's meeting…) are public now."""
    history = public_revisions(model)
    for foreign_key, optional in model.objects.all().public_parents:
        parent = model._meta.get_field(foreign_key).related_model
        visible = Q(**{f"{foreign_key}_id__in": parent.objects.published().values("id")})
        if optional:
            visible |= Q(**{f"{foreign_key}__isnull": True})
        history = history.filter(visible)
    return history


class ChangesForm(forms.Form):
    type = forms.ChoiceField(label=_("Record type"), required=False)
    revision = forms.ChoiceField(
        label=_("Revision type"),
        required=False,
        choices=[("", _("Any revision")), *[(k, v) for k, v in KIND_LABELS.items()]],
    )
    since = forms.DateField(label=_("From (date)"), required=False)
    until = forms.DateField(label=_("To (date)"), required=False)
    indicator = forms.SlugField(label=_("Indicator"), required=False)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            ("", _("Any record")),
            *[(key, record_model(key)._meta.verbose_name) for key in RECORD_TYPES],
        ]
        indicator_model = apps.get_model("indicators", "Indicator")
        self.fields["indicator"] = forms.ModelChoiceField(
            label=_("Indicator"),
            queryset=indicator_model.objects.published(),
            to_field_name="slug",
            required=False,
            empty_label=_("Any indicator"),
        )
        country_model = apps.get_model("meetings", "Country")
        self.fields["country"] = forms.ModelChoiceField(
            label=_("Country"),
            queryset=country_model.objects.all(),
            to_field_name="code",
            required=False,
            empty_label=_("Any country"),
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


def country_condition(key, model, country):
    """Revisions of ``model`` that concern ``country``; None when the type never does."""
    if key in ("figure", "delegation", "person"):
        return Q(country_id=country.pk)
    if key == "country":
        return Q(id=country.pk)
    if key == "meeting":
        delegations = apps.get_model("meetings", "Delegation").objects.filter(country=country)
        return Q(host_country_id=country.pk) | Q(id__in=delegations.values("meeting_id"))
    if key == "commitment":
        field = model._meta.get_field("countries")
        through = model._revision_recorder.m2m_models[field]
        rows = through._default_manager.filter(country_id=country.pk)
        return Q(history_id__in=rows.values("history_id"))
    return None


def revision_condition(revision):
    published = Q(state="published") & ~Q(previous_state="published") & ~Q(history_type="+")
    return {
        "created": Q(history_type="+"),
        "deleted": Q(history_type="-"),
        "reverted": Q(reverted_to_history_id__isnull=False),
        "withdrawn": Q(state="withdrawn"),
        "published": published,
        "changed": Q(history_type="~", reverted_to_history_id__isnull=True),
    }[revision]


def changes_queryset(data: dict, *, until=None):
    """The union of every matching public revision, as rows of ``COLUMNS`` + type."""
    parts = []
    types = [data["type"]] if data.get("type") else list(RECORD_TYPES)
    for key in types:
        model = record_model(key)
        history = public_history(model)
        publishable = model.objects.all().publishable
        revision = data.get("revision")
        if revision in ("published", "withdrawn") and not publishable:
            continue
        if revision:
            condition = revision_condition(revision)
            if revision == "changed" and publishable:
                condition &= ~Q(state="withdrawn") & (
                    Q(previous_state="published") | Q(previous_state__isnull=True)
                )
            history = history.filter(condition)
        if data.get("since"):
            history = history.filter(history_date__date__gte=data["since"])
        if data.get("until"):
            history = history.filter(history_date__date__lte=data["until"])
        if until is not None:
            history = history.filter(history_date__lte=until)
        if data.get("indicator"):
            if key == "figure":
                history = history.filter(indicator_id=data["indicator"].pk)
            elif key == "indicator":
                history = history.filter(id=data["indicator"].pk)
            else:
                continue
        if data.get("country"):
            condition = country_condition(key, model, data["country"])
            if condition is None:
                continue
            history = history.filter(condition)
        if data.get("editor"):
            history = history.filter(history_user=data["editor"])
        parts.append(
            history.annotate(record_type=Value(key, output_field=CharField()))
            .order_by()
            .values(*COLUMNS, "record_type")
        )
    if not parts:
        return None
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-history_id", "record_type")


@dataclass
class Change(Revision):
    record_type: str = ""
    title: str = ""
    url: str = ""
    history_url: str = ""


def public_links(key, instance) -> tuple[str, str]:
    """(record page, its history page) for a revision, or its parent's for parts of a
    record (a delegation belongs to its meeting's page)."""
    pages = {
        "figure": ("indicators:figure_detail", "indicators:figure_history", "pk"),
        "commitment": ("meetings:commitment_detail", "meetings:commitment_history", "pk"),
        "meeting": ("meetings:meeting_detail", "meetings:meeting_history", "slug"),
        "indicator": ("indicators:indicator_detail", "indicators:indicator_history", "slug"),
    }
    parents = {"session": "meeting", "delegation": "meeting", "quote": "commitment"}
    if key in parents:
        key = parents[key]
        instance = getattr(instance, key)
    if key not in pages:
        return "", ""
    detail, history, lookup = pages[key]
    value = getattr(instance, lookup)
    return reverse(detail, args=[value]), reverse(history, args=[value])


def describe_page(rows, *, show_editor_names=False) -> list[Change]:
    """Describe one page of union rows: a few queries per record type on the page."""
    by_type: dict[str, list] = {}
    for row in rows:
        by_type.setdefault(row["record_type"], []).append(row["history_id"])
    described = {}
    for key, history_ids in by_type.items():
        model = record_model(key)
        records = list(
            public_history(model)
            .filter(history_id__in=history_ids)
            .select_related("history_user")
            ._select_related_history_tracked_objs()
        )
        earlier = previous_revisions(model, records)
        names = RelatedNames(model, [*records, *earlier.values()])
        instances = dict(zip([r.history_id for r in records], materialize(records), strict=True))
        for record in records:
            previous = earlier.get(record.history_id)
            kind = revision_kind(record)
            changes = []
            if previous is not None and kind != "deleted":
                changes = describe_changes(model, previous, record, names)
            instance = instances[record.history_id]
            url, history_url = public_links(key, instance)
            described[(key, record.history_id)] = Change(
                record=record,
                kind=kind,
                changes=changes,
                show_editor_names=show_editor_names,
                record_type=str(model._meta.verbose_name),
                title=str(instance),
                url=url if record.history_type != "-" else "",
                history_url=history_url,
            )
    return [described[(row["record_type"], row["history_id"])] for row in rows]


def previous_revisions(model, records) -> dict:
    """{history_id: the public revision just before it, of the same record}."""
    if not records:
        return {}
    latest = max(record.history_date for record in records)
    candidates = (
        public_history(model)
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


def paginate_changes(data, *, page_number, per_page, until=None):
    union = changes_queryset(data, until=until)
    paginator = Paginator(union if union is not None else [], per_page)
    page = paginator.page(min(page_number, paginator.num_pages))
    return page
