"""A staff user holding only *view* permissions changes nothing through the admin.

Every URL that the admin exposes for a tracked model (found from ``admin.site._registry``
and each ``ModelAdmin.get_urls()``, never listed by hand) is requested by such a user with
GET and with POST, the POSTs carrying what an editor's browser would send: the change and
revert forms as rendered (for a superuser) with a value changed and a reason, the change
list's actions and list edits with ``pk,version`` pairs and a reason, the delete
confirmation. Around every request the whole editorial database is compared: each tracked
model's rows (``version`` included), many-to-many sets and history rows, and the admin
log. Each model's test then replays the payloads as an editor (and a reviewer for the
actions, a superuser for deletion): they do write when the user may, so the sweep cannot
pass for want of realistic data.

Run with ``-s`` to see every request with its status.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, router
from django.urls import reverse

from sco_tracker.tracking.admin.forms import CHANGE_REASON_FIELD
from sco_tracker.tracking.states import TRANSITIONS, PublicationState
from sco_tracker.tracking.workflow import TransitionError, transition
from tests.admin_forms import changeform_data, changelist_data, form_values
from tests.conftest import signed_in
from tests.factories import ReviewerFactory, UserFactory

pytestmark = [pytest.mark.django_db]
if apps.is_installed("tests.example_app"):
    # The test settings add a record type of its own app, whose public pages (which its
    # admin links to) are routed by that app's URLconf: the site's URLs plus its own.
    pytestmark.append(pytest.mark.urls("tests.example_app.urls"))

# Every tracked model the admin exposes, with its ModelAdmin, in registration order.
TRACKED_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if hasattr(model, "tracking")
]
TRACKED_MODELS = [model for model, _ in TRACKED_ADMINS]
MODEL_IDS = [model.__name__ for model in TRACKED_MODELS]

# The admin URLs this sweep knows how to post an editor's data to. A URL of a tracked
# model's admin with another name is still requested (GET, and a POST with a reason), but
# ``test_every_admin_url_gets_a_realistic_post`` asks for it to be taught here.
KNOWN_URL_NAMES = {
    "changelist",
    "add",
    "change",
    "redirect",  # <pk>/ → <pk>/change/ (Django's unnamed pattern)
    "delete",
    "history",
    "compare",
    "simple_history",  # the revert form
    "import",  # an uploaded file: its preview (imports and exports, tracking.admin.importing)
    "process_import",  # the preview confirmed
    "export",
    "import_template",
}
ALLOWED_STATUSES = {200, 302, 403, 404}
# The autocomplete endpoint is a ListView: POST is not a method it has; an import's
# confirmation has no GET.
ALLOWED_STATUSES_BY_URL = {
    "autocomplete": {*ALLOWED_STATUSES, 405},
    "process_import": {*ALLOWED_STATUSES, 405},  # confirming an import: POST only
}

NOT_CONTENT = {CHANGE_REASON_FIELD, "version", "seen_revision"}
REASON = "View-only user tries to change this"


# --- the users ---------------------------------------------------------------------------


def view_permission_names() -> set[str]:
    return {f"{m._meta.app_label}.view_{m._meta.model_name}" for m in TRACKED_MODELS}


def make_view_only_user():
    """Staff, every ``view_<model>`` of the tracked registered models, nothing else."""
    permissions = [
        Permission.objects.get(
            content_type=ContentType.objects.get_for_model(model),
            codename=f"view_{model._meta.model_name}",
        )
        for model in TRACKED_MODELS
    ]
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.set(permissions)
    user = get_user_model().objects.get(pk=user.pk)  # no cached permissions
    assert not user.is_superuser
    assert not user.groups.exists()
    assert user.get_all_permissions() == view_permission_names()
    return user


@pytest.fixture
def viewer(seed):
    return make_view_only_user()


# --- the state of everything a write could touch ------------------------------------------


def history_counts() -> dict[str, int]:
    """Each tracked model's number of history rows, in one query."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(model.history.model._meta.db_table)}"
        for index, model in enumerate(TRACKED_MODELS)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(cursor.fetchall())
    return {f"{m.__name__} history rows": counts[i] for i, m in enumerate(TRACKED_MODELS)}


def snapshot() -> dict:
    """Every tracked model's rows (all columns, ``version`` included), its many-to-many
    rows and its number of history rows, and the number of admin log entries."""
    state = history_counts()
    for model in TRACKED_MODELS:
        label = model.__name__
        state[f"{label} rows"] = {
            row[model._meta.pk.attname]: row for row in model._base_manager.order_by("pk").values()
        }
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            state[f"{label}.{m2m.name} rows"] = sorted(
                tuple(sorted(row.items())) for row in through._base_manager.values()
            )
    state["admin log entries"] = LogEntry.objects.count()
    return state


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for key, old in before.items():
        new = after[key]
        if old == new:
            continue
        if isinstance(old, dict):
            for pk in sorted(old.keys() - new.keys()):
                found.append(f"{key}: #{pk} deleted")
            for pk in sorted(new.keys() - old.keys()):
                found.append(f"{key}: #{pk} added")
            for pk in sorted(old.keys() & new.keys()):
                changed = {
                    name: (value, new[pk][name])
                    for name, value in old[pk].items()
                    if new[pk][name] != value
                }
                if changed:
                    described = ", ".join(f"{n}: {o!r} → {v!r}" for n, (o, v) in changed.items())
                    found.append(f"{key}: #{pk} changed ({described})")
        else:
            found.append(f"{key}: {old!r} → {new!r}")
    return found


# --- the URLs and what an editor would post to them --------------------------------------


def url_name(model, pattern) -> str:
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    if pattern.name is None:
        route = str(pattern.pattern)
        return "redirect" if route == "<path:object_id>/" else f"unnamed {route}"
    return pattern.name.removeprefix(prefix)


def admin_url_names(model, model_admin) -> list[str]:
    return [url_name(model, pattern) for pattern in model_admin.get_urls()]


def admin_url(model, name, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def edits(form, name: str, data: dict, choices: int = 5) -> list[str]:
    """Other values for form field ``name``, as POST data (the form may still refuse them);
    at most ``choices`` other records for a foreign key."""
    formfield = form.fields[name]
    current = data.get(form[name].html_name, "")
    if isinstance(formfield, forms.ModelMultipleChoiceField | forms.BooleanField):
        return []
    if isinstance(formfield, forms.ModelChoiceField):
        others = formfield.queryset.exclude(pk=current or None).order_by("pk")[:choices]
        return [str(other.pk) for other in others]
    if isinstance(formfield, forms.ChoiceField):
        values = []
        for value, label in formfield.choices:
            grouped = isinstance(label, list | tuple)
            values += [str(v) for v, _label in label] if grouped else [str(value)]
        return [value for value in values if value not in ("", current)][:3]
    if isinstance(formfield, forms.IntegerField) and current:
        return [str(int(current) + 1)]
    if isinstance(formfield, forms.DecimalField) and current:
        return [str(Decimal(current) + 1)]
    if isinstance(formfield, forms.DateField) and current:
        return [(datetime.date.fromisoformat(current) + datetime.timedelta(days=1)).isoformat()]
    if isinstance(formfield, forms.URLField | forms.EmailField):
        return []
    if isinstance(formfield, forms.SlugField):
        values = [f"{current}-edited"]
    elif isinstance(formfield, forms.CharField):
        # Appended to; or shortened (a shorter verbatim quote is still verbatim).
        values = [f"{current} (edited)" if current else "Edited", current[:-1].rstrip()]
    else:
        return []
    limit = formfield.max_length
    return [v for v in values if v and v != current and not (limit and len(v) > limit)]


def edit_data(response, instance, reason: str) -> tuple[dict, str]:
    """The change form in ``response`` posted with one content value changed (the first
    field, text fields first, whose new value the form accepts) and ``reason``; returns
    the data and the changed field's name."""
    form = response.context["adminform"].form
    readonly = set(response.context["adminform"].readonly_fields)
    base = changeform_data(response, **{CHANGE_REASON_FIELD: reason})
    names = [n for n in form.fields if n not in NOT_CONTENT and n not in readonly]
    text_first = sorted(
        names,
        key=lambda n: type(form.fields[n]) is not forms.CharField,
    )
    for name in text_first:
        for value in edits(form, name, base):
            data = {**base, form[name].html_name: value}
            fresh = type(instance)._base_manager.get(pk=instance.pk)
            if is_valid(response, data, fresh):
                return data, name
    raise AssertionError(f"no field of {type(instance).__name__}'s form takes an edit")


def is_valid(response, data: dict, instance=None) -> bool:
    """Whether the admin form rendered in ``response`` accepts ``data``."""
    return type(response.context["adminform"].form)(data, instance=instance).is_valid()


def add_data(model, add_response, change_response) -> dict:
    """The add form posted with an existing record's content, its unique values made new
    (and, for a constraint over several fields, one of them changed until the form
    accepts it)."""
    values = {
        key: value
        for key, value in form_values(change_response.context["adminform"].form).items()
        if key not in NOT_CONTENT
    }
    unique = [f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    together = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            together += constraint.fields
            for expression in constraint.expressions:
                parts = [expression] if isinstance(expression, models.F) else expression.flatten()
                together += [part.name for part in parts if isinstance(part, models.F)]
    for name in unique:
        model_field = model._meta.get_field(name)
        if name not in values or not values[name]:
            continue
        if isinstance(model_field, models.IntegerField):
            values[name] = str(int(values[name]) + 1000)
        elif isinstance(model_field, models.CharField):
            new = f"{values[name]}-new"
            if model_field.max_length and len(new) > model_field.max_length:
                new = "Z" * model_field.max_length
            values[name] = new
    data = changeform_data(add_response, **values, **{CHANGE_REASON_FIELD: REASON})
    if is_valid(add_response, data):
        return data
    form = add_response.context["adminform"].form
    for name in together:
        if name not in form.fields:
            continue
        if isinstance(model._meta.get_field(name), models.IntegerField):
            candidates = [str(int(data[name] or 0) + 1000)]
        else:
            candidates = edits(form, name, data, choices=50)
        for value in candidates:
            trial = {**data, name: value}
            if is_valid(add_response, trial):
                return trial
    return data  # as near as it gets; the view-only user is refused before validation


@dataclass
class Request:
    url_name: str
    method: str
    url: str
    variant: str = ""
    data: dict | Callable[[], dict] = field(default_factory=dict)

    @property
    def label(self) -> str:
        variant = f" [{self.variant}]" if self.variant else ""
        return f"{self.method} {self.url_name}{variant}"

    def send(self, client):
        data = self.data() if callable(self.data) else self.data
        if self.method == "GET":
            return client.get(self.url, data)
        return client.post(self.url, data)


@dataclass
class Target:
    """A tracked record with two revisions: the seed's and an edit made for this test,
    so that reverting to the first is a real change."""

    model: type
    model_admin: admin.ModelAdmin
    record: models.Model
    first: models.Model  # history row: the seed's revision
    second: models.Model  # history row: the edit


def deletable(record) -> bool:
    collector = NestedObjects(using=router.db_for_write(type(record)))
    collector.collect([record])
    return not collector.protected


def create_through_the_add_form(model, superuser_client):
    """A record of a model the seed has none of: the add form with each required field
    given a plausible value, saved by a superuser."""
    url = admin_url(model, "add")
    response = superuser_client.get(url)
    form = response.context["adminform"].form
    data = changeform_data(response)
    for name, formfield in form.fields.items():
        key = form[name].html_name
        if name in NOT_CONTENT or not formfield.required or data.get(key):
            continue
        if isinstance(formfield, forms.DateField):
            data[key] = datetime.date(2025, 1, 1).isoformat()
        elif isinstance(formfield, forms.IntegerField | forms.DecimalField):
            data[key] = "1"
        else:
            data[key] = (edits(form, name, data) or [""])[0]
    response = superuser_client.post(url, data)
    assert response.status_code == 302, f"the seed has no {model.__name__}; adding one failed"
    return model._base_manager.order_by("-pk").first()


def spread_states(model, record, superuser) -> None:
    """Records of a publishable model in every publication state (moved there by a
    superuser through the workflow), so that each action meets a record it applies to."""
    for wanted in TRANSITIONS:
        if model._base_manager.filter(state=wanted).exists():
            continue
        for candidate in model._base_manager.exclude(pk=record.pk).order_by("pk"):
            path = state_path(candidate.state, wanted)
            if path is None or model._base_manager.filter(state=candidate.state).count() < 2:
                continue  # no way there, or the last record in its state
            try:
                for state in path:
                    transition(candidate, to_state=state, user=superuser, reason="Set up")
            except TransitionError:
                continue
            break


def state_path(start: str, end: str) -> list[str] | None:
    """The shortest list of transitions from ``start`` to ``end``."""
    paths, seen = [(start, [])], {start}
    while paths:
        state, path = paths.pop(0)
        if state == end:
            return path
        for after in TRANSITIONS.get(state, {}):
            if after not in seen:
                seen.add(after)
                paths.append((after, [*path, after]))
    return None


def prepare(model, model_admin, superuser, superuser_client) -> Target:
    """The first record (by pk) that a superuser could delete, else the first record
    (or, when the seed has none, one added by a superuser), given a second revision
    through the change form; for a publishable model, other records in every state."""
    records = list(model._base_manager.order_by("pk"))
    if not records:
        records = [create_through_the_add_form(model, superuser_client)]
    record = next((r for r in records if deletable(r)), records[0])
    if model.tracking.publishable:
        spread_states(model, record, superuser)
    url = admin_url(model, "change", record.pk)
    data, _ = edit_data(superuser_client.get(url), record, "A second revision, to revert to")
    assert superuser_client.post(url, data).status_code == 302
    revisions = list(record.history.order_by("history_date", "history_id"))
    assert len(revisions) == 2, f"{model.__name__}: {len(revisions)} revisions"
    record.refresh_from_db()
    return Target(model, model_admin, record, revisions[0], revisions[1])


def current_version(model, pk) -> int:
    return model._base_manager.filter(pk=pk).values_list("version", flat=True).get()


def action_requests(target: Target, url: str) -> list[Request]:
    """Each action of the admin (whoever may run it): ``pk,version`` (the version read
    when sent) and a reason, as the Go button sends them (``index=0``). A workflow action
    is sent for one record of each publication state; deleting, for the target record,
    also as its confirmation page sends it (``post=yes``)."""
    model, record = target.model, target.record
    samples = [(record.pk, f"#{record.pk}")]
    if model.tracking.publishable:
        samples = []
        for state in TRANSITIONS:
            pks = model._base_manager.filter(state=state).order_by("pk").values_list("pk")
            samples += [(pk, f"#{pk} {state}") for (pk,) in pks[:1]]
    requests = []
    for _function, action, _description in target.model_admin._get_base_actions():
        deleting = action == "delete_selected"
        for pk, where in [(record.pk, f"#{record.pk}")] if deleting else samples:

            def data(pk=pk, action=action, **extra):
                return {
                    "action": action,
                    "_selected_action": [f"{pk},{current_version(model, pk)}"],
                    CHANGE_REASON_FIELD: REASON,
                    **extra,
                }

            go = Request("changelist", "POST", url, f"action {action} {where}")
            go.data = lambda data=data: data(index="0")
            requests.append(go)
            if deleting:
                confirm = Request("changelist", "POST", url, f"action {action} {where}, confirmed")
                confirm.data = lambda data=data: data(post="yes")
                requests.append(confirm)
    return requests


def list_edit_request(target: Target, url: str, superuser_client) -> Request | None:
    """The change list's ``list_editable`` rows saved with the first row's first editable
    field changed, and a reason."""
    if not target.model_admin.list_editable:
        return None
    response = superuser_client.get(url)
    row = response.context["cl"].formset.forms[0]
    name = target.model_admin.list_editable[0]
    candidates = edits(row, name, {row[name].html_name: str(getattr(row.instance, name))})
    assert candidates, f"{target.model.__name__}.{name} takes no edit"
    data = changelist_data(
        response, reason=REASON, changes={row.instance.pk: {name: candidates[0]}}
    )
    return Request("changelist", "POST", url, f"list edit #{row.instance.pk} {name}", data)


def reason() -> dict:
    return {CHANGE_REASON_FIELD: REASON}


def import_upload(target: Target, superuser_client) -> dict:
    """The import form as an editor's browser sends it: the admin's CSV export of the
    target record, its first free text column (not part of the record's key) edited."""
    model = target.model
    exported = superuser_client.post(admin_url(model, "export"), {"format": "0", "resource": "0"})
    header, *rows = csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))
    row = next(row for row in rows if row[header.index("id")] == str(target.record.pk))
    resource = target.model_admin.get_import_resource_classes(None)[0]()
    keys = resource.key_columns()
    column = next(
        column
        for column in resource.columns("data")
        if column not in keys
        and isinstance(model._meta.get_field(column.attribute), models.CharField | models.TextField)
        and not model._meta.get_field(column.attribute).choices
    )
    index = header.index(column.column_name)
    row[index] = f"{row[index][:80]} (imported)"
    stream = io.StringIO()
    csv.writer(stream).writerows([header, row])
    upload = SimpleUploadedFile("records.csv", stream.getvalue().encode())
    return {"import_file": upload, "resource": "0", "format": "0", "decimal_mark": ""} | reason()


def import_confirmation(target: Target, superuser_client) -> dict:
    """The import's Confirm button, after a preview of ``import_upload``'s file."""
    shown = superuser_client.post(
        admin_url(target.model, "import"), import_upload(target, superuser_client)
    )
    form = shown.context["confirm_form"]
    return {name: form.initial.get(name) or "" for name in form.fields}


def compare_pair(target: Target) -> dict:
    return {"a": str(target.first.history_id), "b": str(target.second.history_id)}


def requests_for(target: Target, superuser_client) -> list[Request]:
    """GET and POST for every URL of the model's admin, and for its autocomplete."""
    model, pk = target.model, target.record.pk
    change_page = superuser_client.get(admin_url(model, "change", pk))
    change_data, _ = edit_data(change_page, target.record, REASON)
    requests = []
    for pattern in target.model_admin.get_urls():
        name = url_name(model, pattern)
        if pattern.name is None:
            route = str(pattern.pattern).replace("<path:object_id>", str(pk))
            url = admin_url(model, "changelist") + route
        else:
            groups = pattern.pattern.regex.groups
            url = admin_url(model, name, *[pk, target.first.history_id][:groups])
        get = Request(name, "GET", url)
        if name == "changelist":
            posts = action_requests(target, url)
            list_edit = list_edit_request(target, url, superuser_client)
            posts += [list_edit] if list_edit else []
        elif name == "add":
            data = add_data(model, superuser_client.get(url), change_page)
            posts = [Request(name, "POST", url, "save", data)]
        elif name in ("change", "redirect"):
            posts = [
                Request(name, "POST", url, "save", change_data),
                Request(name, "POST", url, "save as new", {**change_data, "_saveasnew": "1"}),
            ]
        elif name == "delete":
            posts = [Request(name, "POST", url, "confirm", {"post": "yes", **reason()})]
        elif name in ("history", "compare"):
            get = Request(name, "GET", url, "a, b", compare_pair(target))
            posts = [Request(name, "POST", url, "a, b", compare_pair(target))]
        elif name == "import":
            posts = [Request(name, "POST", url, "upload")]
            posts[0].data = lambda: import_upload(target, superuser_client)
        elif name == "process_import":
            posts = [Request(name, "POST", url, "confirm")]
            posts[0].data = lambda: import_confirmation(target, superuser_client)
        elif name == "export":
            posts = [Request(name, "POST", url, "csv", {"format": "0", "resource": "0"})]
        elif name == "import_template":
            get = Request(name, "GET", url, "xlsx", {"format": "xlsx"})
            posts = [Request(name, "POST", url, "xlsx", {"format": "xlsx"})]
        elif name == "simple_history":
            revert = changeform_data(superuser_client.get(url), **reason())
            posts = [
                Request(name, "POST", url, "revert", revert),
                Request(name, "POST", url, "change history", {**revert, "_change_history": "1"}),
            ]
        else:
            posts = [Request(name, "POST", url, "", {"post": "yes", **reason()})]
        requests += [get, *posts]
    if target.model_admin.autocomplete_fields:
        query = {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": target.model_admin.autocomplete_fields[0],
            "term": "",
        }
        url = reverse("admin:autocomplete")
        requests += [
            Request("autocomplete", "GET", url, query["field_name"], query),
            Request("autocomplete", "POST", f"{url}?{urlencode(query)}", query["field_name"]),
        ]
    return requests


def find(requests: list[Request], label: str) -> Request:
    return next(request for request in requests if request.label.startswith(label))


def sweep(client, where: str, requests: list[Request]) -> tuple[dict, list[str]]:
    """Send each request, comparing the database before and after each, and before and
    after all; returns ({label: status}, what went wrong)."""
    seen, problems = {}, []
    start = before = snapshot()
    for request in requests:
        response = request.send(client)
        after = snapshot()
        said = f"{where}: {request.label} {request.url}"
        seen[request.label] = response.status_code
        print(f"{said} → {response.status_code}")
        allowed = ALLOWED_STATUSES_BY_URL.get(request.url_name, ALLOWED_STATUSES)
        if response.status_code not in allowed:
            problems.append(f"{said}: status {response.status_code}")
        problems += [f"{said}: {change}" for change in differences(before, after)]
        before = after
    problems += [f"{where}, whole sweep: {change}" for change in differences(start, snapshot())]
    return seen, problems


def send_counting(client, request: Request) -> tuple[int, int, list[str]]:
    """(status, number of new history rows, what changed)."""
    before = snapshot()
    response = request.send(client)
    after = snapshot()
    written = sum(after[key] - before[key] for key in before if key.endswith("history rows"))
    return response.status_code, written, differences(before, after)


# --- the sweep ---------------------------------------------------------------------------


def test_the_sweep_covers_the_tracked_models_the_admin_registers():
    # Sessions, delegations and quotes are edited only inside their parent's form.
    assert len(TRACKED_MODELS) >= 8
    assert {"Figure", "Commitment", "Meeting", "Indicator", "Country"} <= set(MODEL_IDS)


@pytest.mark.parametrize(("model", "model_admin"), TRACKED_ADMINS, ids=MODEL_IDS)
def test_every_admin_url_gets_a_realistic_post(model, model_admin):
    unknown = set(admin_url_names(model, model_admin)) - KNOWN_URL_NAMES
    assert not unknown, f"teach this sweep what an editor posts to {sorted(unknown)}"


@pytest.mark.parametrize(("model", "model_admin"), TRACKED_ADMINS, ids=MODEL_IDS)
def test_view_only_user_changes_nothing_through_any_admin_url(
    viewer, superuser, superuser_client, model, model_admin
):
    """GET and POST to every URL of the model's admin change nothing for a view-only
    user. Then, as positive controls, the same payloads write for users who may: the
    revert form and the add form exactly as the view-only user sent them, the change form
    and the list edit rendered afresh (the version moved on), the actions (reviewer) and
    the delete confirmation (superuser)."""
    name = model.__name__
    target = prepare(model, model_admin, superuser, superuser_client)
    requests = requests_for(target, superuser_client)
    assert set(admin_url_names(model, model_admin)) <= {r.url_name for r in requests}

    seen, problems = sweep(signed_in(viewer), name, requests)
    assert not problems, "\n".join(problems)
    # The user does see the records: the sweep was not refused wholesale at the door.
    assert seen["GET changelist"] == seen["GET change"] == seen["GET history [a, b]"] == 200

    # --- positive controls ---
    # Someone who may change it (a reviewer: a published record's changes are theirs to
    # save at once) sending the revert form the view-only user sent: one new revision.
    editor = signed_in(ReviewerFactory(username="rita"))
    revert = find(requests, "POST simple_history [revert]")
    status, written, changes = send_counting(editor, revert)
    assert (status, written) == (302, 1), f"control {name} {revert.label}: {status}, {changes}"
    latest = target.record.history.order_by("-history_date", "-history_id").first()
    assert latest.reverted_to_history_id == target.first.history_id
    assert latest.history_change_reason == REASON

    # The change form, rendered afresh (the revert moved the version on): one revision.
    change_url = admin_url(model, "change", target.record.pk)
    data, _ = edit_data(superuser_client.get(change_url), target.record, REASON)
    change = Request("change", "POST", change_url, "save", data)
    status, written, changes = send_counting(editor, change)
    assert (status, written) == (302, 1), f"control {name} {change.label}: {status}, {changes}"

    if "process_import" in admin_url_names(model, model_admin):
        # The import the view-only user confirmed, confirmed by the reviewer: one revision.
        confirmation = find(requests, "POST process_import [confirm]")
        status, written, changes = send_counting(editor, confirmation)
        assert (status, written) == (302, 1), f"control {name} import: {status}, {changes}"

    add = find(requests, "POST add [save]")
    status, written, changes = send_counting(editor, add)
    assert (status, written) == (302, 1), f"control {name} {add.label}: {status}, {changes}"
    assert any(f"{name} rows" in c and "added" in c for c in changes), changes

    list_edit = list_edit_request(target, admin_url(model, "changelist"), superuser_client)
    if list_edit:
        status, written, changes = send_counting(editor, list_edit)
        assert (status, written) == (302, 1), f"control {name} {list_edit.label}: {changes}"

    # A reviewer running the same actions: those the records' states allow write one
    # revision (the first such is enough).
    reviewer = signed_in(ReviewerFactory(username="rita"))
    acted = None
    for action in action_requests(target, admin_url(model, "changelist")):
        if "delete_selected" in action.variant:
            continue  # reviewers do not delete
        status, written, changes = send_counting(reviewer, action)
        assert status in ALLOWED_STATUSES and written in (0, 1), (action.label, changes)
        if written:
            acted = action.label
            break
    assert acted or not model.tracking.publishable, f"no {name} action wrote for a reviewer"

    # A superuser confirming the deletion the view-only user confirmed.
    delete = find(requests, "POST delete [confirm]")
    can_delete = deletable(target.record)
    status, written, changes = send_counting(superuser_client, delete)
    if can_delete:
        assert status == 302, f"control {name} {delete.label}: {status}"
        assert not model._base_manager.filter(pk=target.record.pk).exists()
        deletion = target.record.history.order_by("-history_date", "-history_id").first()
        assert (deletion.history_type, deletion.history_change_reason) == ("-", REASON)
    else:  # every record is protected by others: the superuser is shown why, no more
        assert (status, changes) == (200, []), f"control {name} {delete.label}: {changes}"


def test_view_only_user_changes_nothing_through_the_site_wide_admin_pages(
    viewer, superuser, superuser_client
):
    # Something waits for review, so that the queue lists records.
    for model in TRACKED_MODELS:
        if model.tracking.publishable:
            draft = model._base_manager.filter(state=PublicationState.DRAFT).first()
            if draft is not None:
                transition(
                    draft, to_state=PublicationState.IN_REVIEW, user=superuser, reason="Check"
                )
    assert "waiting for review" in superuser_client.get(reverse("admin_review_queue")).text

    some = next(
        record
        for model in reversed(TRACKED_MODELS)
        if (record := model._base_manager.order_by("pk").first()) is not None
    )
    content_type = ContentType.objects.get_for_model(some)
    urls = [
        ("review", reverse("admin_review_queue")),
        ("index", reverse("admin:index")),
        *[
            ("app_list", reverse("admin:app_list", args=[label]))
            for label in sorted({m._meta.app_label for m in TRACKED_MODELS})
        ],
        ("view_on_site", reverse("admin:view_on_site", args=[content_type.pk, some.pk])),
    ]
    requests = []
    for name, url in urls:
        requests += [
            Request(name, "GET", url),
            Request(name, "POST", url, "", {"action": "publish", **reason()}),
        ]
    seen, problems = sweep(signed_in(viewer), "site", requests)
    assert not problems, "\n".join(problems)
    assert seen["GET review"] == seen["GET index"] == 200
