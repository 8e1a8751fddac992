"""Bulk data entry: figures, commitments, meetings and indicators imported from CSV and XLSX
files in two steps (preview, confirm), one revision per record written, drafts and
proposals as in the admin, numbers read as editors write them, exports that import back
unchanged, and ``manage.py import_figures``."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Figure, Indicator
from indicators.resources import FigureResource
from meetings.models import Commitment, Country, Meeting, Source
from sco_tracker.tracking.importing.cells import (
    COMMA,
    POINT,
    CellError,
    detect_decimal_mark,
    parse_date,
    parse_decimal,
)
from sco_tracker.tracking.importing.files import write_csv
from sco_tracker.tracking.importing.guide import template_file
from sco_tracker.tracking.models import PendingChange
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.test_review import act

pytestmark = pytest.mark.usefixtures("seed")
FIGURE = 3  # Kazakhstan's trade with SCO members in 2024: more than $67 billion, published
HEADERS = [
    "indicator",
    "country",
    "value",
    "unit_multiplier",
    "unit",
    "comparator",
    "period_start",
    "period_end",
    "period_label",
    "as_stated",
    "source_title",
]


def admin_url(model, name):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}")


def preview(client, model, name, content, **fields):
    """Upload ``content`` as file ``name`` to ``model``'s import: the preview page."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    upload = SimpleUploadedFile(name, data)
    form = {"resource": "0", "format": "", "decimal_mark": "", "reason": "", **fields}
    return client.post(admin_url(model, "import"), {"import_file": upload, **form})


def confirm(client, model, shown):
    """Confirm the import previewed in ``shown``, as its Confirm button does."""
    form = shown.context["confirm_form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    return client.post(admin_url(model, "process_import"), data)


def import_file(client, model, name, content, **fields):
    shown = preview(client, model, name, content, **fields)
    assert shown.status_code == 200
    assert shown.context.get("confirm_form") is not None, problems(shown)
    done = confirm(client, model, shown)
    assert done.status_code == 302, problems(done)
    return shown


def problems(response):
    result = response.context["result"]
    found = [str(error.error) for error in result.base_errors]
    return found + [(row.line, *p) for row in result.rows for p in row.problems]


def figure_rows(count, *, start_year=1500, country="KZ", value=lambda n: f"{n},5"):
    """``count`` rows of Kazakhstan's trade, one a year from ``start_year`` (new figures)."""
    source = Source.objects.get(pk=1).title
    return [
        [
            "trade-with-sco-members",
            country,
            value(n),
            "млрд",
            "USD",
            "more_than",
            f"{start_year + n}-01-01",
            f"31.12.{start_year + n}",
            str(start_year + n),
            f"более ${n},5 млрд",
            source,
        ]
        for n in range(count)
    ]


def imported(year):
    return Figure.objects.get(indicator__slug="trade-with-sco-members", period_label=str(year))


def history_total():
    return Figure.history.count()


# --- the template -------------------------------------------------------------------------


def test_the_templates_example_imports_unchanged_and_as_a_new_draft(editor_client, editor):
    url = admin_url(Figure, "import_template")
    response = editor_client.get(url, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="figures-template.csv"'
    template = response.content.decode("utf-8-sig")
    header, example = list(csv.reader(io.StringIO(template)))
    assert header[:3] == ["indicator", "scope", "country"] and "source_title" in header
    assert example[:7] == ["trade-with-sco-members", "country", "KZ", "67", "9", "USD", "more_than"]

    revisions = history_total()
    shown = import_file(editor_client, Figure, "figures-template.csv", template)
    assert [row.kind for row in shown.context["result"].rows] == ["unchanged"]
    assert history_total() == revisions

    new = template.replace("2024-01-01,2024-12-31,2024,", "2023-01-01,2023-12-31,2023,")
    shown = import_file(
        editor_client, Figure, "kz-2023.csv", new, reason="Ministry's annual report"
    )
    assert "New records (drafts)" in shown.content.decode()
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members", period_label="2023")
    assert (figure.state, figure.value, figure.unit_multiplier) == ("draft", 67, 9)
    (revision,) = figure.history.all()
    assert revision.history_user == editor
    assert revision.history_change_reason == (
        "Ministry's annual report — Imported from kz-2023.csv, row 2"
    )
    assert LogEntry.objects.filter(object_id=str(figure.pk)).count() == 1


def test_the_xlsx_template_explains_each_column(editor_client):
    url = admin_url(Figure, "import_template")
    response = editor_client.get(url, {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, columns, rules = book.worksheets
    header = [cell.value for cell in data[1]]
    example = dict(zip(header, [cell.value for cell in data[2]], strict=True))
    assert example["value"] == 67 and example["unit"] == "USD"
    explained = {row[0].value: row for row in columns.iter_rows(min_row=2)}
    assert set(header) <= set(explained)
    assert "identifies the record" in explained["indicator"][1].value
    assert "2025-11-18" in explained["period_start"][3].value
    assert any("decimal mark" in (row[0].value or "") for row in rules.iter_rows())
    guide = editor_client.get(url, {"format": "columns"}).content.decode("utf-8-sig")
    assert "unit_multiplier" in guide and "млрд" in guide

    # Filled in and saved in a spreadsheet, it imports as it stands.
    data["I2"], data["J2"], data["K2"] = "01.01.2022", "31.12.2022", "2022"
    saved = io.BytesIO()
    book.save(saved)
    import_file(editor_client, Figure, "kz-2022.xlsx", saved.getvalue())
    assert imported(2022).state == "draft"


# --- many rows ------------------------------------------------------------------------------


def test_a_thousand_rows_of_new_and_changed_figures(editor_client, editor):
    """One revision per figure created or changed, naming the file and its row; none for
    the unchanged rows."""
    first = figure_rows(500)
    import_file(editor_client, Figure, "first.csv", write_csv(HEADERS, first))
    assert (
        Figure.objects.filter(period_label__in=[str(1500 + n) for n in range(500)]).count() == 500
    )
    revisions = history_total()

    rows = [row[:] for row in first]
    for row in rows[::2]:  # 250 changed values, 250 rows as they were
        row[2] = row[2].replace(",5", ",75")
    rows += figure_rows(500, start_year=2100)
    shown = import_file(editor_client, Figure, "mixed.csv", write_csv(HEADERS, rows))
    assert shown.context["result"].counts() == {
        "error": 0,
        "new": 500,
        "changed": 250,
        "proposal": 0,
        "unchanged": 250,
    }
    assert history_total() == revisions + 750
    reasons = dict(
        Figure.history.filter(history_change_reason__contains="mixed.csv").values_list(
            "period_label", "history_change_reason"
        )
    )
    assert len(reasons) == 750
    for n in range(500):
        changed = n % 2 == 0
        figure = imported(1500 + n)
        assert figure.history.count() == (2 if changed else 1)
        assert figure.value == Decimal(f"{n}.75" if changed else f"{n}.5")
        if changed:
            assert reasons[str(1500 + n)] == f"Imported from mixed.csv, row {n + 2}"
    for n in range(500):
        assert reasons[str(2100 + n)] == f"Imported from mixed.csv, row {n + 502}"
    assert Figure.history.filter(history_user=editor, history_type="+").count() >= 1000


def test_one_bad_row_among_500_imports_nothing(editor_client, editor, capsys, tmp_file):
    rows = figure_rows(500)
    rows[250][1] = "XX"  # no such country, on spreadsheet row 252
    content = write_csv(HEADERS, rows)
    figures, revisions = Figure.objects.count(), history_total()

    shown = preview(editor_client, Figure, "bad.csv", content)
    assert shown.context.get("confirm_form") is None
    assert problems(shown) == [
        (
            252,
            "country",
            "XX",
            "No country has the ISO 3166 alpha-2 code “XX”: add it first, or check the spelling.",
        )
    ]
    page = shown.content.decode()
    assert "nothing can be imported until they are fixed" in page and "499 new" in page

    # The command goes through the same code: all or nothing, errors by row and column.
    path = tmp_file(content, "bad.csv")
    with pytest.raises(CommandError, match="Nothing was imported: 1 of 500 rows"):
        call_command("import_figures", path, user="editor", reason="Annual report")
    assert "Row 252, country: No country has the ISO 3166" in capsys.readouterr().err
    assert (Figure.objects.count(), history_total()) == (figures, revisions)


# --- numbers and dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("27,5", COMMA, "27.5"),
        ("27.5", POINT, "27.5"),
        ("1 234 567,5", COMMA, "1234567.5"),
        ("1\u00a0234,5", COMMA, "1234.5"),  # no-break space
        ("1\u2009234\u2009567", POINT, "1234567"),  # thin space
        ("1\u202f234,25", COMMA, "1234.25"),  # narrow no-break space
        ("1.234.567,5", COMMA, "1234567.5"),
        ("1,234,567.5", POINT, "1234567.5"),
        ("1,234", COMMA, "1.234"),
        ("1.234", POINT, "1.234"),
        ("0,500", POINT, "0.5"),
        ("−2,5", COMMA, "-2.5"),
        (67.0, None, "67"),
    ],
)
def test_numbers_as_editors_write_them(text, mark, value):
    assert parse_decimal(text, mark) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "mark", "message"),
    [
        ("1.234", COMMA, "ambiguous in a file with decimal commas"),
        ("1,234", POINT, "ambiguous in a file with decimal points"),
        ("1,234", None, "choose the decimal mark on the import form"),
        ("67 млрд", COMMA, "in the multiplier column"),
        ("$67", COMMA, "in the unit column"),
        ("27 5", COMMA, "groups of three digits"),
        ("12,5,3", COMMA, "not a number"),
    ],
)
def test_numbers_that_could_be_misread_are_refused(text, mark, message):
    with pytest.raises(CellError, match=message):
        parse_decimal(text, mark)


def test_the_files_decimal_mark_is_its_first_unambiguous_number():
    assert detect_decimal_mark(["67", "1,234", "27,5", "3.25"]) == COMMA
    assert detect_decimal_mark(["1 234.5"]) == POINT
    assert detect_decimal_mark(["1.234.567"]) == COMMA
    assert detect_decimal_mark(["67", "1,234"]) is None


def test_dates_as_editors_write_them():
    assert parse_date("2025-11-18") == parse_date("18.11.2025")
    for text in ("11/18/2025", "Jan–Sep 2025", "31.02.2025"):
        with pytest.raises(CellError):
            parse_date(text)


def test_decimal_commas_and_spaces_in_a_libreoffice_csv(editor_client):
    values = ["1\u00a0234,5", "2\u2009345\u202f678,25", "27,5"]
    rows = figure_rows(3, value=lambda n: values[n])
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")  # as a spreadsheet set to Russian saves it
    writer.writerows([HEADERS, *rows])
    import_file(editor_client, Figure, "report.csv", stream.getvalue())
    assert [imported(year).value for year in (1500, 1501, 1502)] == [
        Decimal("1234.5"),
        Decimal("2345678.25"),
        Decimal("27.5"),
    ]
    assert imported(1500).unit_multiplier == 9


def test_an_ambiguous_number_is_an_error_naming_its_cell(editor_client):
    rows = figure_rows(2, value=lambda n: ["27,5", "1.234"][n])
    shown = preview(editor_client, Figure, "mixed-marks.csv", write_csv(HEADERS, rows))
    ((line, column, cell, message),) = problems(shown)
    assert (line, column, cell) == (3, "value", "1.234")
    assert "ambiguous in a file with decimal commas" in message

    # Nothing in this file says which mark it uses: the form does.
    rows = figure_rows(1, value=lambda n: "1,234")
    shown = preview(editor_client, Figure, "undecided.csv", write_csv(HEADERS, rows))
    assert "choose the decimal mark" in problems(shown)[0][3]
    import_file(editor_client, Figure, "undecided.csv", write_csv(HEADERS, rows), decimal_mark=",")
    assert imported(1500).value == Decimal("1.234")


# --- exports -------------------------------------------------------------------------------


def export(client, model, file_format, query=""):
    response = client.post(f"{admin_url(model, 'export')}{query}", {"format": file_format})
    assert response.status_code == 200
    return response


def test_an_export_imported_back_changes_nothing(editor_client):
    kazakhstan = Country.objects.get(code="KZ")
    exported = export(editor_client, Figure, "0", f"?country__id__exact={kazakhstan.pk}")
    content = exported.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {row["country"] for row in rows} == {"KZ"}
    assert len(rows) == Figure.objects.filter(country=kazakhstan).count() > 1

    before = (history_total(), Figure.history.values_list("history_id", flat=True).count())
    logged = LogEntry.objects.count()
    for name, data in [
        ("figures.csv", content),
        ("figures.xlsx", export(editor_client, Figure, "1").content),
    ]:
        shown = import_file(editor_client, Figure, name, data)
        kinds = {row.kind for row in shown.context["result"].rows}
        assert kinds == {"unchanged"}, problems(shown)
    assert (history_total(), Figure.history.count()) == before
    assert LogEntry.objects.count() == logged and not PendingChange.objects.exists()

    for model in (Indicator, Meeting, Commitment):
        shown = import_file(
            editor_client, model, "all.csv", export(editor_client, model, "0").content
        )
        assert {row.kind for row in shown.context["result"].rows} == {"unchanged"}
        assert not model.history.filter(history_change_reason__contains="all.csv").exists()


def test_exports_have_the_public_exports_columns_and_values(client, editor_client):
    response = client.get("/figures/?format=csv")
    public_csv = b"".join(response.streaming_content).decode("utf-8-sig")
    public = list(csv.DictReader(io.StringIO(public_csv)))
    exported = export(editor_client, Figure, "0").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(exported)))
    assert header[: len(public[0])] == list(public[0])
    assert "state" in header and "note_ru" in header
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported))}
    for row in public:
        assert {name: rows[row["id"]][name] for name in row} == row


# --- drafts and proposals -------------------------------------------------------------------


def changed_figure_file(value):
    """The figures' template, its example (figure 3) given another value."""
    _name, _type, content = template_file(FigureResource, "csv")
    header, example = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    example[header.index("value")] = str(value)
    return write_csv(header, [example])


def test_a_change_to_a_published_figure_is_an_editors_proposal(client, editor_client, reviewer):
    revisions = Figure.objects.get(pk=FIGURE).history.count()
    shown = import_file(editor_client, Figure, "kz.csv", changed_figure_file(68))
    (row,) = shown.context["result"].rows
    assert (row.kind, [(c.label, c.old, c.new) for c in row.changes]) == (
        "proposal",
        [("value", "67", "68")],
    )
    proposal = PendingChange.objects.get(object_id=FIGURE)
    assert proposal.form_data["value"] == ["68"]
    assert proposal.reason == "Imported from kz.csv, row 2"
    figure = Figure.objects.get(pk=FIGURE)
    assert (figure.value, figure.history.count()) == (67, revisions)
    assert "&gt; 67 billion USD" in client.get(f"/figures/{FIGURE}/").text

    act(signed_in(reviewer), Figure, [figure], "publish", "Checked against the report")
    figure = Figure.objects.get(pk=FIGURE)
    latest = figure.history.latest("history_date")
    assert (figure.value, figure.history.count()) == (68, revisions + 1)
    assert latest.history_change_reason == (
        "Imported from kz.csv, row 2 — Checked against the report"
    )


def test_a_reviewers_import_applies_at_once(reviewer_client, reviewer):
    revisions = Figure.objects.get(pk=FIGURE).history.count()
    import_file(reviewer_client, Figure, "kz.csv", changed_figure_file("69,5"), reason="Final")
    figure = Figure.objects.get(pk=FIGURE)
    latest = figure.history.latest("history_date")
    assert (figure.value, figure.state, figure.history.count()) == (
        Decimal("69.5"),
        "published",
        revisions + 1,
    )
    assert (latest.history_user, latest.public_kind) == (reviewer, "changed")
    assert latest.history_change_reason == "Final — Imported from kz.csv, row 2"
    assert not PendingChange.objects.exists()


def test_a_change_made_after_the_preview_is_not_overwritten(editor_client, reviewer_client):
    shown = preview(reviewer_client, Figure, "kz.csv", changed_figure_file(70))
    import_file(editor_client, Figure, "other.csv", changed_figure_file(71))
    act(reviewer_client, Figure, [Figure.objects.get(pk=FIGURE)], "publish", "Checked")
    refused = confirm(reviewer_client, Figure, shown)
    assert refused.status_code == 200
    assert "after your preview" in str(problems(refused))
    assert Figure.objects.get(pk=FIGURE).value == 71


def test_commitments_countries_are_set_in_the_same_revision(editor_client):
    headers = ["meeting", "title_en", "title_ru", "kind", "countries", "people"]
    row = ["chg-24-moscow-2025", "A new transport corridor", "Новый коридор", "pledge"]
    import_file(
        editor_client,
        Commitment,
        "c.csv",
        write_csv(headers, [[*row, "KZ; RU", "Mikhail Mishustin"]]),
    )
    commitment = Commitment.objects.get(title_en="A new transport corridor")
    assert commitment.state == "draft"
    assert sorted(commitment.countries.values_list("code", flat=True)) == ["KZ", "RU"]
    (created,) = commitment.history.all()
    assert sorted(created.countries.values_list("country__code", flat=True)) == ["KZ", "RU"]
    assert [p.slug for p in commitment.people.all()] == ["mikhail-mishustin"]

    import_file(editor_client, Commitment, "c2.csv", write_csv(headers, [[*row, "KZ", ""]]))
    assert list(commitment.countries.values_list("code", flat=True)) == ["KZ"]
    latest = commitment.history.latest("history_date")
    assert commitment.history.count() == 2
    assert list(latest.countries.values_list("country__code", flat=True)) == ["KZ"]
    import_file(editor_client, Commitment, "c3.csv", write_csv(headers, [[*row, "kz", ""]]))
    assert commitment.history.count() == 2


def test_meetings_and_indicators_import(editor_client):
    headers = ["slug", "title_en", "title_ru", "body", "number", "start_date", "end_date"]
    headers += ["city_en", "city_ru", "host_country", "topics"]
    meeting = ["fm-2026-bishkek", "Foreign ministers, 2026", "СМИД 2026", "foreign_ministers"]
    meeting += ["", "14.05.2026", "15.05.2026", "Bishkek", "Бишкек", "kg", "trade"]
    import_file(editor_client, Meeting, "m.csv", write_csv(headers, [meeting]))
    created = Meeting.objects.get(slug="fm-2026-bishkek")
    assert (created.state, created.host_country.code) == ("draft", "KG")
    assert [topic.slug for topic in created.topics.all()] == ["trade"]
    assert created.history.count() == 1

    headers = ["slug", "name_en", "name_ru", "measure_kind", "default_unit"]
    headers += ["default_unit_multiplier"]
    indicator = ["grain-exports", "Grain exports", "Экспорт зерна", "level", "t", "млн"]
    import_file(editor_client, Indicator, "i.csv", write_csv(headers, [indicator]))
    assert Indicator.objects.get(slug="grain-exports").default_unit_multiplier == 6


def test_unknown_columns_and_unreadable_files_are_refused(editor_client):
    shown = preview(editor_client, Figure, "f.csv", "indicator,vaule\ntrade-with-sco-members,5\n")
    assert "Unknown columns: vaule" in str(problems(shown))
    assert "Missing columns: " in str(problems(shown))
    shown = preview(
        editor_client, Figure, "f.csv", "indicator,value\n".encode("cp1251") + "Ж".encode("cp1251")
    )
    assert "not UTF-8 text" in shown.content.decode()
    shown = preview(editor_client, Figure, "f.txt", "indicator\n")
    assert "import .csv or .xlsx files" in shown.content.decode()


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def tmp_file(tmp_path):
    def write(content, name):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        return str(path)

    return write


def test_import_figures_command(editor, capsys, tmp_file):
    path = tmp_file(write_csv(HEADERS, figure_rows(3)), "report-2025.csv")
    figures, revisions = Figure.objects.count(), history_total()
    call_command("import_figures", path, user="editor", reason="Ministry report", dry_run=True)
    assert "Would import report-2025.csv: 3 new drafts" in capsys.readouterr().out
    assert (Figure.objects.count(), history_total()) == (figures, revisions)

    call_command("import_figures", path, user="editor", reason="Ministry report")
    assert "Imported report-2025.csv: 3 new drafts" in capsys.readouterr().out
    reasons = [imported(1500 + n).history.get().history_change_reason for n in range(3)]
    assert reasons == [
        f"Ministry report — Imported from report-2025.csv, row {n}" for n in (2, 3, 4)
    ]
    assert imported(1500).history.get().history_user == editor

    with pytest.raises(CommandError, match="No account"):
        call_command("import_figures", path, user="nobody", reason="x")
    UserFactory(username="reader", is_staff=True)
    with pytest.raises(CommandError, match="may not add and change figures"):
        call_command("import_figures", path, user="reader", reason="x")


# --- who may --------------------------------------------------------------------------------


@pytest.fixture
def viewer_client():
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__in=ContentType.objects.get_for_models(
                Figure, Indicator, Meeting, Commitment
            ).values(),
            codename__startswith="view_",
        )
    )
    return signed_in(user)


@pytest.mark.parametrize("model", [Figure, Indicator, Meeting, Commitment])
def test_editors_import_and_export_view_only_staff_export_only(editor_client, viewer_client, model):
    import_url, export_url = admin_url(model, "import"), admin_url(model, "export")
    page = editor_client.get(admin_url(model, "changelist")).content.decode()
    assert f"href='{import_url}'" in page and f'href="{export_url}' in page
    page = viewer_client.get(admin_url(model, "changelist")).content.decode()
    assert import_url not in page and f'href="{export_url}' in page

    content = export(editor_client, model, "0").content
    count = model.history.count()
    for url in (
        import_url,
        admin_url(model, "process_import"),
        admin_url(model, "import_template"),
    ):
        assert viewer_client.get(url).status_code in (403, 405)
    upload = SimpleUploadedFile("all.csv", content)
    posted = {"import_file": upload, "resource": "0", "format": "0"}
    assert viewer_client.post(import_url, posted).status_code == 403
    assert export(viewer_client, model, "1").status_code == 200
    assert model.history.count() == count
