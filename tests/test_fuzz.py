"""Hostile query strings on every public URL pattern and hostile admin posts: never a
server error, never a half-written export, never a half-saved record.

CI runs a fixed, derandomised set of examples (``FUZZ_EXAMPLES``, default 2,000 requests;
``FUZZ_ADMIN_EXAMPLES``, default 200 posts); ``make fuzz`` runs ten times as many."""

import os

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Figure
from tests.admin_forms import changeform_data

PUBLIC_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
ADMIN_EXAMPLES = int(os.environ.get("FUZZ_ADMIN_EXAMPLES", "200"))

# One path per URL pattern of the public site (existing and missing records alike).
PATHS = [
    "/",
    "/figures/",
    "/figures/3/",
    "/figures/999999/",
    "/figures/3/history/",
    "/indicators/",
    "/indicators/trade-with-sco-members/",
    "/indicators/no-such-indicator/",
    "/indicators/trade-with-sco-members/history/",
    "/meetings/",
    "/meetings/chg-24-moscow-2025/",
    "/meetings/chg-24-moscow-2025/history/",
    "/commitments/",
    "/commitments/6/",
    "/commitments/6/history/",
    "/changes/",
    "/changes/feed/",
    "/compliance/",
    "/compliance/method/",
    "/countries/KZ/",
    "/countries/XX/",
    "/sources/1/",
    "/sources/999999/",
]
KEYS = [
    "indicator",
    "country",
    "comparator",
    "year",
    "meeting",
    "source",
    "q",
    "sort",
    "body",
    "host",
    "topic",
    "status",
    "kind",
    "type",
    "revision",
    "since",
    "until",
    "editor",
    "as_of",
    "format",
    "page",
    "per_page",
    "before",
    "period",
    "lang",
    "x",
]
GOOD_VALUES = [
    "KZ",
    "kz",
    "SCO",
    "WORLD",
    "2024",
    "trade-with-sco-members",
    "chg-24-moscow-2025",
    "csv",
    "json",
    "-value",
    "published",
    "figure",
    "0",
    "-1",
    "1e9",
    "99999999999999999999",
]
MOMENTS = [
    "2025-11-20",
    "2025-11-20T10:00:00+03:00",
    "2025-11-20T00:00:00+23:00",
    "2025-11-20T00:00:00-23:59",
    "2025-11-20T00:00:00+24:00",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31",
    "0000-01-01",
    "2025-02-30",
]
HOSTILE = ["' OR 1=1 --", "%00", "../../etc/passwd", "<script>", "🙂" * 50, "=cmd|'/C calc'!A0"]

values = st.one_of(
    st.sampled_from(GOOD_VALUES),
    st.sampled_from(MOMENTS),
    st.sampled_from(HOSTILE),
    st.text(max_size=300).filter(lambda text: "\x00" not in text),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda date: date.isoformat()),
    st.datetimes().map(lambda moment: moment.isoformat() + "+05:00"),
)
queries = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)
requests = st.tuples(st.sampled_from(["", "/ru"]), st.sampled_from(PATHS), queries)


def drain(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_public_pages_never_fail(client, seed):
    @settings(
        max_examples=PUBLIC_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
        database=None,
    )
    @given(request=requests)
    def check(request):
        prefix, path, query = request
        response = client.get(prefix + path, query)
        content = drain(response)
        assert response.status_code in (200, 400, 404), (path, query, response.status_code)
        if response.get("Content-Type", "").startswith("text/csv"):
            assert content.endswith(b"\r\n"), (path, query)  # never stops half-way

    check()


def test_a_nul_character_is_refused_on_any_page(client, seed):
    for path in PATHS:
        assert client.get(path, {"q": "a\x00b"}).status_code == 400, path


# --- hostile posts to the admin ---------------------------------------------------------------

FIGURE_FIELDS = [
    "indicator",
    "scope",
    "country",
    "as_stated",
    "comparator",
    "value",
    "unit_multiplier",
    "unit",
    "period_start",
    "period_end",
    "period_label",
    "base_value",
    "base_period_start",
    "base_period_end",
    "stated_by",
    "meeting",
    "source",
    "quote",
    "version",
    "seen_revision",
]
field_values = st.one_of(
    st.sampled_from(["", "abc", "1.5", "-1", "0", "3", "1e400", "99999999999999999999"]),
    st.sampled_from(["2025-13-40", "9999-12-31", "0001-01-01", "NaN", "Infinity", "%", "USD"]),
    st.text(max_size=80).filter(lambda text: "\x00" not in text),
)
posts = st.dictionaries(st.sampled_from(FIGURE_FIELDS), field_values, min_size=1, max_size=5)


def test_hostile_admin_posts_never_fail_or_half_save(superuser_client, seed):
    url = reverse("admin:indicators_figure_change", args=[3])
    shown = superuser_client.get(url)

    @settings(
        max_examples=ADMIN_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
        database=None,
    )
    @given(changes=posts)
    def check(changes):
        revisions = Figure.history.filter(id=3).count()
        data = changeform_data(shown, change_reason="fuzz", **changes)
        response = superuser_client.post(url, data)
        # 400: a tampered, signed version field (django-concurrency refuses it as suspicious).
        assert response.status_code in (200, 302, 400), (changes, response.status_code)
        written = Figure.history.filter(id=3).count() - revisions
        if response.status_code != 302:
            assert written == 0, changes  # refused: nothing saved, nothing recorded
        else:
            assert written <= 1, changes  # saved: one revision (none if nothing changed)

    check()
