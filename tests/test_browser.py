"""Key editorial flows in a real Chromium."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from indicators.models import Figure
from sco_tracker.tracking.recording import revision
from sco_tracker.tracking.workflow import transition
from tests.conftest import log_in
from tests.factories import EditorFactory, ReviewerFactory, SourceFactory

User = get_user_model()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_editors_change_waits_for_a_reviewer_who_publishes_it(live_seed, browser, page):
    """The editor changes a published figure's value; the public page keeps the old
    value; the reviewer finds the change under Awaiting review, reads the diff, publishes
    it; the public page shows the new value, and its history one revision with the
    reviewer and the reason."""
    EditorFactory(username="editor")
    ReviewerFactory(username="rita")
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members", country__code="KZ")
    log_in(page, live_seed)
    page.goto(f"{live_seed.url}/admin/indicators/figure/{figure.pk}/change/")
    expect(page.locator(".pending-banner")).to_contain_text("saving proposes your change")
    expect(page.locator("#id_as_stated")).to_have_value("превысил $67 млрд")
    page.fill("#id_value", "68")
    page.fill("#id_change_reason", "Checked against the ministry's annual report")
    page.click("input[name=_submit]")
    expect(page.locator(".messagelist")).to_contain_text("waits for a reviewer")
    expect(page.locator(".pending-banner")).to_contain_text("awaits review")

    reader = browser.new_context(locale="en-GB").new_page()
    reader.goto(f"{live_seed.url}/figures/{figure.pk}/")
    expect(reader.locator("h1")).to_contain_text("> 67 billion USD")

    staff = browser.new_context(locale="en-GB")
    reviewer = staff.new_page()
    log_in(reviewer, live_seed, username="rita")
    reviewer.get_by_role("link", name="Awaiting review").click()
    proposals = reviewer.locator("table.pending-diff")
    expect(proposals).to_contain_text("> 67 billion USD")
    expect(proposals).to_contain_text("> 68 billion USD")
    expect(proposals).to_contain_text("Checked against the ministry's annual report")
    proposals.get_by_role("link", name="Trade turnover with SCO member states").click()
    expect(reviewer.locator(".pending-banner")).to_contain_text("Saving this form publishes")
    reviewer.fill("#id_change_reason", "Matches the report")
    reviewer.click("input[name=_save]")
    expect(reviewer.locator(".messagelist")).to_contain_text("was changed successfully")
    staff.close()

    reader.goto(f"{live_seed.url}/figures/{figure.pk}/")
    expect(reader.locator("h1")).to_contain_text("> 68 billion USD")
    reader.goto(f"{live_seed.url}/figures/{figure.pk}/history/")
    latest = reader.locator(".revision-list li").first
    expect(latest).to_contain_text("Checked against the ministry's annual report")
    expect(latest).to_contain_text("Matches the report")
    expect(latest).to_contain_text("> 67 billion USD")
    expect(reader.locator(".revision-list > li")).to_have_count(2)


def test_a_reviewer_told_of_a_draft_parent_publishes_both(live_seed, browser, page):
    ReviewerFactory(username="rita")
    indicator = Figure.objects.get(pk=3).indicator
    transition(indicator, to_state="withdrawn", user=User.objects.get(username="rita"), reason="x")
    log_in(page, live_seed, username="rita")
    page.goto(f"{live_seed.url}/admin/indicators/figure/?state__exact=withdrawn")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "publish")
    page.fill("input[name=change_reason]", "Back after checking")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("is not public")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "publish_with_parents")
    page.fill("input[name=change_reason]", "Back after checking")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("Published with it")
    reader = browser.new_context(locale="en-GB").new_page()
    reader.goto(f"{live_seed.url}/figures/3/")
    expect(reader.locator("h1")).to_contain_text("> 67 billion USD")


def test_change_form_will_not_submit_without_a_reason(live_seed, page):
    EditorFactory(username="editor")
    log_in(page, live_seed)
    page.goto(f"{live_seed.url}/admin/indicators/figure/1/change/")
    page.fill("#id_value", "31")
    page.click("input[name=_save]")
    # Still on the form (the browser refuses an empty required field); nothing saved.
    expect(page.locator("#id_value")).to_have_value("31")
    assert Figure.objects.get(pk=1).history.count() == 1


# --- the public site ------------------------------------------------------------------

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def test_reader_filters_opens_a_figure_switches_language_and_downloads_csv(live_seed, page):
    page.goto(f"{live_seed.url}/figures/")
    page.select_option("#id_country", "KZ")
    page.fill("#id_year", "2024")
    page.click("button[type=submit]")
    page.wait_for_url("**/figures/?*")
    assert "country=KZ" in page.url and "year=2024" in page.url
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(3)  # trade, transit tonnage, transit growth (2020–2024)
    expect(page.locator(".result-count")).to_contain_text("3 results")

    page.get_by_role("link", name="Trade turnover with SCO member states").click()
    expect(page.locator("h1")).to_contain_text("> 67 billion USD")
    expect(page.locator("blockquote")).to_contain_text("превысил $67 млрд")

    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_contain_text("более 67 млрд USD")
    expect(page.locator(".kicker")).to_contain_text("Товарооборот с государствами — членами ШОС")

    page.goto(f"{live_seed.url}/ru/figures/?country=KZ&year=2024")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "sco-figures-kz-2024.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["country"] for row in rows} == {"KZ"}
    assert len(rows) == 3
    assert {row["indicator_name"] for row in rows} >= {"Товарооборот с государствами — членами ШОС"}


def test_bad_filter_in_the_browser_shows_the_message_by_the_field(live_seed, page):
    page.goto(f"{live_seed.url}/figures/?year=abc")
    expect(page.locator(".error-summary")).to_contain_text("Year: Enter a whole number.")
    expect(page.locator("#id_year")).to_have_value("abc")
    expect(page.locator("table.data-table")).to_have_count(0)


PAGE_TYPES = [
    "/",
    "/meetings/",
    "/meetings/chg-24-moscow-2025/",
    "/commitments/",
    "/commitments/6/",
    "/indicators/",
    "/indicators/trade-with-sco-members/",
    "/figures/",
    "/figures/3/",
    "/figures/3/history/",
    "/figures/?year=abc",
    "/ru/figures/",
    "/changes/",
    "/commitments/6/history/",
    "/figures/?as_of=2030-01-01",
    "/ru/indicators/sco-share-of-trade/",
    "/compliance/",
    "/compliance/method/",
    "/countries/KZ/",
    "/ru/compliance/",
    "/sources/1/",
]


def test_no_serious_accessibility_violations(live_seed, browser):
    assert AXE.exists(), "axe-core is missing: run `make install` (needs npm)"
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    failures = {}
    for path in PAGE_TYPES:
        page.goto(live_seed.url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            failures[path] = serious
    context.close()
    assert failures == {}


def serious_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


ADMIN_PAGE_TYPES = [
    "/admin/",
    "/admin/indicators/figure/",
    "/admin/indicators/figure/3/change/",
    "/admin/indicators/figure/add/",
    "/admin/indicators/figure/3/history/",
    "/admin/meetings/commitment/6/change/",
    "/admin/review/",
]


def test_admin_pages_have_no_serious_accessibility_violations(live_seed, browser):
    """The editors' pages too: the change list, the change and add forms (pickers with
    an accessible name), the history and the review queue."""
    EditorFactory(username="editor")
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    log_in(page, live_seed)
    failures = {}
    for path in ADMIN_PAGE_TYPES:
        page.goto(live_seed.url + path)
        serious = serious_violations(page)
        if serious:
            failures[path] = serious
    context.close()
    assert failures == {}


def test_the_figure_changelist_fits_1280_pixels(live_seed, browser):
    """Indicator, subject, value, period, state and last change, without scrolling."""
    EditorFactory(username="editor")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_seed)
    page.goto(f"{live_seed.url}/admin/indicators/figure/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    headers = page.locator("#result_list thead th").all_inner_texts()
    for column in ("INDICATOR", "SUBJECT", "VALUE", "PERIOD", "STATE", "LAST CHANGED"):
        assert any(column in header.upper() for header in headers), headers
    context.close()


def test_no_public_page_scrolls_sideways_on_a_phone(live_seed, browser):
    """At 375 px, tables stack or scroll inside their own box; the page never does."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    page = context.new_page()
    overflowing = {}
    for path in PAGE_TYPES:
        page.goto(live_seed.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            overflowing[path] = width
    context.close()
    assert overflowing == {}


def test_a_long_change_fits_a_phone(live_seed, browser):
    """A revision whose before and after hold long unbroken text (an address, a quote)
    wraps inside its diff table at 375 px; neither /changes/ nor the history scrolls."""
    figure = Figure.objects.get(pk=3)
    figure.note = "Read from https://www.example.org/" + "statistics-of-the-organisation/" * 6
    with revision(user=ReviewerFactory(username="rita"), reason="Where the number was read"):
        figure.save()
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    page = context.new_page()
    widths = {}
    for path in ("/changes/", "/figures/3/history/"):
        page.goto(live_seed.url + path)
        expect(page.locator(".diff-table").first).to_contain_text("statistics-of-the")
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert widths == {"/changes/": 375, "/figures/3/history/": 375}


def test_compliance_pages_with_scores_pass_axe_and_fit_a_phone(live_seed, browser):
    """With published scores in the matrix: no serious accessibility violation, and at
    375 px wide nothing scrolls sideways but the tables, inside their own boxes."""
    from meetings.models import Commitment, Country
    from tests.factories import AssessmentFactory

    for commitment in Commitment.objects.filter(meeting_id=1)[:3]:
        for code, score in (("KZ", 1), ("KG", 0), ("RU", -1)):
            AssessmentFactory(
                commitment=commitment,
                country=Country.objects.get(code=code),
                score=score,
                state="published",
                with_evidence=True,
            )
    paths = ["/compliance/", "/commitments/2/", "/countries/KG/", "/ru/compliance/"]
    context = browser.new_context(
        bypass_csp=True, locale="en-GB", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    failures, overflowing = {}, {}
    for path in [*paths, "/compliance/method/", "/commitments/2/history/"]:
        page.goto(live_seed.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            overflowing[path] = width
        if path in paths:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document)")
            serious = [
                v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")
            ]
            if serious:
                failures[path] = serious
    page.goto(live_seed.url + "/compliance/")
    box = page.locator(".matrix-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the matrix scrolls in its box"
    expect(page.locator(".matrix td.score-cell a").first).to_contain_text("+1")
    context.close()
    assert failures == {} and overflowing == {}


# --- workflow and locking -----------------------------------------------------------------


def test_two_editors_same_figure_second_gets_the_conflict_with_input_kept(live_seed, browser):
    # Reviewers: their saves of a published figure apply at once (editors' are proposals).
    ReviewerFactory(username="alice")
    ReviewerFactory(username="bob")
    sessions = []
    for name in ("alice", "bob"):
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        log_in(page, live_seed, username=name)
        page.goto(f"{live_seed.url}/admin/indicators/figure/3/change/")
        sessions.append((context, page))
    (context_a, alice), (context_b, bob) = sessions

    alice.fill("#id_value", "68")
    alice.fill("#id_change_reason", "Ministry's final figure")
    alice.click("input[name=_save]")
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")

    bob.fill("#id_value", "69")
    bob.fill("#id_as_stated", "около $69 млрд")
    bob.fill("#id_change_reason", "My reading")
    bob.click("input[name=_save]")
    errors = bob.locator(".errornote, .errorlist")
    expect(errors.first).to_be_visible()
    expect(bob.locator("#figure_form")).to_contain_text("someone else changed this record")
    expect(bob.locator("#figure_form")).to_contain_text("alice")
    expect(bob.locator("#figure_form")).to_contain_text("Ministry's final figure")
    expect(bob.locator("#id_value")).to_have_value("69")
    expect(bob.locator("#id_as_stated")).to_have_value("около $69 млрд")
    assert Figure.objects.get(pk=3).value == 68
    context_a.close()
    context_b.close()


def test_draft_is_invisible_until_a_reviewer_publishes_it(live_seed, browser, page):
    rita = ReviewerFactory(username="rita")
    figure = Figure.objects.get(pk=3)
    transition(figure, to_state="withdrawn", user=rita, reason="Taken down for checking")
    transition(figure, to_state="draft", user=rita, reason="Back to the desk")
    figure.as_stated = "более $67 млрд (draft wording)"
    with revision(user=rita, reason="SECRET draft rewording"):
        figure.save()
    page.goto(f"{live_seed.url}/figures/3/")
    expect(page.locator("h1")).to_contain_text("Not Found")
    page.goto(f"{live_seed.url}/figures/")
    trade_link = page.get_by_role("link", name="Trade turnover with SCO member states", exact=True)
    expect(trade_link).to_have_count(0)

    staff = browser.new_context(locale="en-GB")
    reviewer = staff.new_page()
    log_in(reviewer, live_seed, username="rita")
    reviewer.goto(f"{live_seed.url}/admin/indicators/figure/?state__exact=draft")
    reviewer.locator("input.action-select").first.check()
    reviewer.select_option("select[name=action]", "publish")
    reviewer.fill("input[name=change_reason]", "Checked against the release")
    reviewer.click("button[name=index]")
    expect(reviewer.locator(".messagelist")).to_contain_text("is now published")
    staff.close()

    page.goto(f"{live_seed.url}/figures/3/")
    expect(page.locator("h1")).to_contain_text("> 67 billion USD")
    page.goto(f"{live_seed.url}/figures/3/history/")
    expect(page.locator(".revision-list")).to_contain_text("Checked against the release")
    expect(page.locator(".revision-list")).to_contain_text("Taken down for checking")
    expect(page.locator(".revision-list")).not_to_contain_text("SECRET")


# --- bulk data entry ----------------------------------------------------------------------


TRANSIT_CODES = ("KZ", "KG", "RU", "CN", "UZ")


def transit_sentence(code: str) -> str:
    return f"Транзитные перевозки через {code} за январь–сентябрь 2025 года выросли."


def transit_report(fourth_value: str, source_title: str) -> bytes:
    """Five figures as a spreadsheet set to Russian saves them: semicolons between cells,
    decimal commas, a no-break space between thousands, each with its quote."""
    header = "indicator;country;value;unit_multiplier;unit;comparator;period_start;period_end;"
    header += "period_label;as_stated;quote;source_title"
    lines = [header]
    for code, value in zip(
        TRANSIT_CODES,
        ("27,5", "3,25", fourth_value, "12", "1\u00a0234,5"),
        strict=True,
    ):
        lines.append(
            f"transit-freight;{code};{value};млн;t;exact;01.01.2025;30.09.2025;Jan–Sep 2025;"
            f'"{value} млн тонн";"{transit_sentence(code)}";"{source_title}"'
        )
    return "\n".join(lines).encode("utf-8")


def test_an_editor_imports_five_figures_after_fixing_an_error(live_seed, page):
    """Upload, preview with one error, upload the fixed file, confirm: five drafts, each
    with one revision whose reason names the file; a reviewer publishes them."""
    EditorFactory(username="editor")
    report = SourceFactory(
        title="Transit report, January–September 2025",
        text=" ".join(transit_sentence(code) for code in TRANSIT_CODES),
    )
    log_in(page, live_seed)
    page.goto(f"{live_seed.url}/admin/indicators/figure/")
    page.get_by_role("link", name="Import").click()
    expect(page.locator(".import-help")).to_contain_text("XLSX template")

    def upload(content):
        page.set_input_files(
            "#id_import_file",
            files=[{"name": "transit_2025.csv", "mimeType": "text/csv", "buffer": content}],
        )
        page.click("input[type=submit][value=Preview]")

    upload(transit_report("1.234", report.title))
    errors = page.locator(".import-error-table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("1.234")
    expect(errors).to_contain_text("ambiguous in a file with decimal commas")
    expect(page.locator("input[value='Confirm import']")).to_have_count(0)

    upload(transit_report("1234", report.title))
    expect(page.locator(".import-summary")).to_contain_text("5 new")
    page.click("input[value='Confirm import']")
    expect(page.locator(".messagelist")).to_contain_text("Imported: 5 new drafts")

    figures = Figure.objects.filter(indicator__slug="transit-freight", period_label="Jan–Sep 2025")
    assert sorted(figures.values_list("value", flat=True)) == [3.25, 12, 27.5, 1234, 1234.5]
    for figure in figures:
        assert figure.state == "draft"
        (revision,) = figure.history.all()
        assert revision.history_change_reason.startswith("Imported from transit_2025.csv, row ")

    # A reviewer publishes them from the change list of drafts.
    ReviewerFactory(username="rita")
    page.context.clear_cookies()
    log_in(page, live_seed, username="rita")
    page.goto(f"{live_seed.url}/admin/indicators/figure/?state__exact=draft")
    expect(page.locator("#result_list tbody tr")).to_have_count(5)
    page.check("#action-toggle")
    page.select_option("select[name=action]", "publish")
    page.fill("input[name=change_reason]", "Checked against the transit report")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("5")
    for figure in figures.all():
        assert figure.state == "published"
        assert figure.history.count() == 2
        assert figure.history.first().history_change_reason == "Checked against the transit report"
    page.goto(f"{live_seed.url}/figures/?indicator=transit-freight&year=2025")
    expect(page.locator("main")).to_contain_text("Jan–Sep 2025")
