"""The public views every tracked model shares: a filtered, paginated, exportable list;
a record's public history; and ``/changes/``. Each reads the moment from ``request.as_of``
(``middleware.py``) and what is public from ``published()`` (``public.py``)."""

from types import SimpleNamespace
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from .changes import ChangesForm, changes_queryset, describe_page, described_page
from .diffs import describe_revisions, related_names
from .exports import ExportMixin, export_errors
from .paging import list_keys
from .public import attach_revision_info
from .recording import history_manager
from .timetravel import as_instance, materialize, shared_snapshots

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PER_PAGE_CHOICES = (PAGE_SIZE, 100, MAX_PAGE_SIZE)
EXPORT_FORMATS = ("csv", "json", "datapackage")


class ListControlsForm(forms.Form):
    """The parameters every list takes besides its filters (``as_of`` is read once, by
    the middleware)."""

    page = forms.IntegerField(
        label=_("Page"),
        min_value=1,
        required=False,
        error_messages={
            "invalid": _("The page must be a whole number."),
            "min_value": _("Pages start at 1."),
        },
    )
    per_page = forms.IntegerField(
        label=_("Per page"),
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        error_messages={
            "invalid": _("Results per page must be a whole number."),
            "min_value": _("Show at least 1 result per page."),
            "max_value": _("Show at most %(limit_value)s results per page."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("html", "HTML"),
            ("csv", "CSV"),
            ("json", "JSON"),
            ("datapackage", "Data Package"),
        ],
        required=False,
        error_messages={
            "invalid_choice": _("Unknown format “%(value)s”: use csv, json or datapackage.")
        },
    )


def stable(queryset):
    """Order completed by the key, so pages and CSV chunks never skip or repeat a row."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if "pk" not in ordering and "-pk" not in ordering:
        ordering.append("pk")
    return queryset.order_by(*ordering)


def list_context(request, controls, page, *, status=200) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return {
        "controls": controls,
        "page_obj": page,
        "object_list": page.object_list if page else [],
        "result_count": page.paginator.count if page else 0,
        # A list that counts only so far (``/changes/``) says there are more.
        "count_is_partial": getattr(page.paginator, "count_is_partial", False) if page else False,
        "has_filters": any(v for k, v in query.items() if k not in ("per_page", "as_of")),
        "query_string": query.urlencode(),
        "has_errors": status == 400,
        "per_page_choices": PER_PAGE_CHOICES,
    }


class FilteredListView(ExportMixin, View):
    """A public list: FilterSet, sort, pagination, the same rows as CSV or JSON, now or
    as of a past moment.

    Subclasses set ``model``, ``related`` (foreign keys each row shows),
    ``filterset_class``, ``template_name``, ``export_name`` and ``export_columns``, and
    implement ``export_row(obj)``; ``attach(objects)`` adds related lists to a page."""

    model = None
    related: tuple[str, ...] = ()
    filterset_class = None
    template_name = ""
    # A foreign key whose rows the list's order keeps together ("indicator_id"): pages in
    # that order are found through the count of each group (``paging.py``).
    group_field: str | None = None

    @property
    def as_of(self):
        return self.request.as_of

    # Sort keys (``?sort=``) that need the revision info in SQL.
    revision_sorts: tuple[str, ...] = ("revised",)

    def get_queryset(self):
        queryset = self.model.objects.published(as_of=self.as_of).with_related(*self.related)
        if self.request.GET.get("sort", "").lstrip("-") in self.revision_sorts:
            queryset = queryset.with_revision_info()
        return queryset

    def attach(self, objects) -> None:
        """Give each record of a page the related lists its row shows."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "as_of", None) is None:
            return super().dispatch(request, *args, **kwargs)
        # As of a moment, the filters' menus and the rows' related records are the same
        # snapshots: each is read once.
        with shared_snapshots():
            return super().dispatch(request, *args, **kwargs)

    def prepare(self, rows, *, revision_info: bool = True) -> list:
        objects = materialize(rows, moment=self.as_of, related=self.related)
        if revision_info and objects and not hasattr(objects[0], "revision_count"):
            attach_revision_info(objects, self.as_of)
        self.attach(objects)
        return objects

    def page_of(self, queryset, page_number, per_page):
        """The page's rows, found by key first (``paging.list_keys``): the sort, the
        skipping of earlier pages and the count read only keys; whole rows are read for
        the page alone, with their revision info (as of a moment, in the same query)."""
        keys = list_keys(queryset, self.group_field, snapshot=self.as_of is not None)
        paginator = Paginator(keys, per_page)
        # A page past the end shows the last page.
        page = paginator.page(min(page_number, paginator.num_pages))
        keys = list(page.object_list)
        # The page's rows by key alone: the filters (a search's index lookups) were the
        # keys' work, and are not evaluated again.
        rows = self.get_queryset().order_by().filter(pk__in=keys)
        if self.as_of is not None and "revision_count" not in rows.query.annotations:
            rows = rows.with_revision_info()
        rows = {row.pk: row for row in rows}
        found = [rows[key] for key in keys if key in rows]
        page.object_list = self.prepare(found, revision_info=self.as_of is None)
        return page

    def get(self, request, *args, **kwargs):
        controls = ListControlsForm(request.GET)
        controls_valid = controls.is_valid()
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        filters_valid = filterset.is_valid()
        if not (controls_valid and filters_valid):
            if request.GET.get("format") in EXPORT_FORMATS:
                return export_errors(filterset.form, controls)
            return self.render_page(filterset, controls, page=None, status=400)

        queryset = stable(filterset.qs)
        output = controls.cleaned_data["format"] or "html"
        if output == "datapackage":
            return self.datapackage_response()
        if output == "csv":
            # Every row is written: the revision info comes in the rows' own query.
            return self.csv_response(queryset.with_revision_info())
        per_page = controls.cleaned_data["per_page"] or PAGE_SIZE
        page = self.page_of(queryset, controls.cleaned_data["page"] or 1, per_page)
        if output == "json":
            return self.json_response(page)
        return self.render_page(filterset, controls, page=page)

    def get_extra_context(self) -> dict:
        return {}

    def render_page(self, filterset, controls, page, status=200):
        context = {
            "filter": filterset,
            **list_context(self.request, controls, page, status=status),
            **self.get_extra_context(),
        }
        return render(self.request, self.template_name, context, status=status)

    def absolute(self, obj) -> str:
        """The record's public address, at the same moment as the list."""
        return absolute_url(self.request, obj)


class RecordHistoryView(View):
    """Every public revision of one record, newest first, with what changed and why.

    Withdrawn and deleted records keep a readable history of what was public; a record
    that was never public is a 404, exactly like a missing one."""

    model = None
    template_name = "tracking/record_history.html"
    per_page = 50

    def get(self, request, **kwargs):
        field = self.model.tracking.url_field
        value = kwargs[field]
        lookup = "id" if field == "pk" else field
        as_of = request.as_of
        controls = ListControlsForm(request.GET)
        if not controls.is_valid():
            raise Http404
        current = self.model.objects.published(as_of=as_of).filter(**{lookup: value})
        current = next(iter(current[:1].instances()), None)
        history = history_manager(self.model).public()
        if as_of is not None:
            history = history.filter(history_date__lte=as_of)
        if current is not None:
            pk = current.pk
        else:
            latest = history.filter(**{lookup: value}).newest_first().values("id").first()
            if latest is None:
                raise Http404
            pk = latest["id"]
        revisions = history.filter(id=pk).select_related("history_user").newest_first()
        page, older = self.revisions_page(revisions, controls.cleaned_data.get("page") or 1)
        rows = page.object_list
        names = related_names(self.model, rows, older, public=True)
        described = describe_revisions(
            self.model,
            rows,
            older,
            public=True,
            show_editor_names=request.user.is_staff,
            names=names,
        )
        if current is not None:
            names.attach(current)  # its title names them: read once, for the diffs
            latest = None
        else:
            latest = rows[0] if page.number == 1 else revisions.first()
        return render(
            request,
            self.template_name,
            {
                "model_name": self.model._meta.verbose_name,
                "record": current,
                "title": str(current) if current is not None else str(as_instance(latest)),
                "gone": current is None,
                "deleted": current is None and latest.public_kind == "deleted",
                "withdrawn": current is None and latest.public_kind == "withdrawn",
                "gone_on": latest.history_date if current is None else None,
                "revisions": described,
                "page_obj": page,
            },
        )

    def revisions_page(self, revisions, number: int):
        """The page of ``revisions`` and the revision just older than its last (to diff
        that one too), with the count, in one query: the page's rows and one more, each
        carrying the count of all (a window function). A page past the end costs a count
        more and shows the last page; no revision at all is a 404."""
        counted = revisions.annotate(revisions_in_all=Window(Count("*")))
        size = self.per_page
        rows = list(counted[(number - 1) * size : number * size + 1])
        if not rows and number > 1:
            number = max(1, -(-revisions.count() // size))
            rows = list(counted[(number - 1) * size : number * size + 1])
        if not rows:
            raise Http404
        paginator = Paginator(revisions, size)
        paginator.count = rows[0].revisions_in_all
        page = paginator.page(number)
        page.object_list, older = rows[:size], (rows[size] if len(rows) > size else None)
        return page, older


class ChangesView(ExportMixin, View):
    """``/changes/``: public revisions across the site, filtered, paginated and exported
    like every list (``as_of`` shows the changes up to that moment)."""

    template_name = "tracking/changes.html"
    export_name = "changes"
    export_columns = (
        "revision_id",
        "date",
        "record_type",
        "record_id",
        "record",
        "url",
        "history_url",
        "revision",
        "editor",
        "reason",
        "changes",
    )

    def get(self, request):
        staff = request.user.is_staff
        controls = ListControlsForm(request.GET)
        form = ChangesForm(request.GET, staff=staff, moment=request.as_of)
        if not (controls.is_valid() and form.is_valid()):
            if request.GET.get("format") in EXPORT_FORMATS:
                return export_errors(form, controls)
            context = {
                "filter": SimpleNamespace(form=form),
                **list_context(request, controls, None, status=400),
            }
            return render(request, self.template_name, context, status=400)

        output = controls.cleaned_data["format"] or "html"
        self.show_editor_names = staff
        if output == "datapackage":
            return self.datapackage_response()
        if output == "csv":
            union = changes_queryset(form.cleaned_data, until=request.as_of)
            return self.csv_response(union if union is not None else [])
        page = described_page(
            form.cleaned_data,
            page_number=controls.cleaned_data["page"] or 1,
            per_page=controls.cleaned_data["per_page"] or PAGE_SIZE,
            until=request.as_of,
            show_editor_names=staff,
        )
        if output == "json":
            return self.json_response(page)
        context = {"filter": SimpleNamespace(form=form), **list_context(request, controls, page)}
        context["feed_query"] = context["query_string"]
        return render(request, self.template_name, context)

    def export_row(self, change) -> dict:
        build = self.request.build_absolute_uri
        return {
            "revision_id": change.record.history_id,
            "date": change.date,
            "record_type": change.record_type_key,
            "record_id": change.record.id,
            "record": change.title,
            "url": build(change.url) if change.url else None,
            "history_url": build(change.history_url) if change.history_url else None,
            "revision": change.kind,
            "editor": change.editor,
            "reason": change.reason,
            "changes": [f"{c.label}: {c.old} → {c.new}" for c in change.changes],
        }

    def prepare(self, rows):
        return describe_page(list(rows), show_editor_names=self.show_editor_names)


def absolute_url(request, obj) -> str:
    """``obj``'s public address, at the moment ``request`` asks for (if it asks)."""
    url = obj.get_absolute_url()
    if request.as_of is not None:
        url += "?" + urlencode({"as_of": request.as_of_param})
    return request.build_absolute_uri(url)


def permanent_link(request, obj) -> str:
    """The address of the version of ``obj`` a page shows: its page as of its last public
    revision, which stays what it is whatever changes later."""
    moment = request.as_of or getattr(obj, "last_revised", None)
    url = obj.get_absolute_url()
    if moment is not None:
        url += "?" + urlencode({"as_of": moment.isoformat()})
    return request.build_absolute_uri(url)


def detail_format(request) -> str:
    """ "html" or "json" for a record's page (``?format=json``); anything else is a 404,
    like an address that does not exist."""
    output = request.GET.get("format", "html") or "html"
    if output not in ("html", "json"):
        raise Http404
    return output
