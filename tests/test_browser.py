"""Key editorial flows in a real Chromium."""

import pytest
from playwright.sync_api import expect

from indicators.models import Figure
from tests.conftest import log_in
from tests.factories import EditorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_editor_edits_a_figure_with_a_reason_and_sees_the_revision(live_seed, page):
    EditorFactory(username="editor")
    figure = Figure.objects.get(indicator__slug="trade-with-sco-members", country__code="KZ")
    log_in(page, live_seed)

    page.goto(f"{live_seed.url}/admin/indicators/figure/{figure.pk}/change/")
    expect(page.locator("#id_as_stated")).to_have_value("превысил $67 млрд")
    page.fill("#id_value", "68")
    page.fill("#id_change_reason", "Checked against the ministry's annual report")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_seed.url}/admin/indicators/figure/{figure.pk}/history/")
    history = page.locator("#change-history")
    expect(history).to_contain_text("Checked against the ministry's annual report")
    expect(history).to_contain_text("67 → 68")
    expect(history).to_contain_text("editor")
    expect(history.locator("tbody tr")).to_have_count(2)


def test_change_form_will_not_submit_without_a_reason(live_seed, page):
    EditorFactory(username="editor")
    log_in(page, live_seed)
    page.goto(f"{live_seed.url}/admin/indicators/figure/1/change/")
    page.fill("#id_value", "31")
    page.click("input[name=_save]")
    # Still on the form (the browser refuses an empty required field); nothing saved.
    expect(page.locator("#id_value")).to_have_value("31")
    assert Figure.objects.get(pk=1).history.count() == 1
