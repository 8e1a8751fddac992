"""The pages ``make bench`` measures: their addresses in this project and in the baseline,
the issue's targets, and each page's essential SELECT, written by hand.

The essential SELECT is what the page cannot do without: its rows (with the names it shows)
and, for lists, the count it prints — run straight through psycopg, with the same
``jit=off`` as the application's connections. A page's time divided by it says how much
the page adds on top of reading its data. Placeholders (``%(figure)s``…) are the targets
``measure.py`` picks from the generated data.
"""

from dataclasses import dataclass, field

PUBLIC = {"p95": 60, "queries": 8}
TARGETS = {  # kind → the targets (ms at p95, SQL queries)
    "public": PUBLIC,
    "admin_list": {"p95": 100},
    "admin_search": {"p95": 150},
    "admin_history": {"p95": 30, "queries": 10},
}
BASELINE_FACTOR = 3  # each page at least 3× faster than the baseline
DEEP_FACTOR = 2  # a deep page at most 2× page 1


def document(*columns, table=""):
    """The search document exactly as the GIN indexes are built (so they can serve it)."""
    prefix = f"{table}." if table else ""
    text = " || ' ' || ".join(f"COALESCE({prefix}{column}, '')" for column in columns)
    return f"(to_tsvector('russian', {text}) || to_tsvector('english', {text}))"


QUERY = "(plainto_tsquery('russian', %(word)s) || plainto_tsquery('english', %(word)s))"

# Published figures whose indicator (and meeting, when they have one) are published.
VISIBLE = """
FROM indicators_figure f
JOIN indicators_indicator i ON i.id = f.indicator_id AND i.state = 'published'
LEFT JOIN meetings_meeting m ON m.id = f.meeting_id
LEFT JOIN meetings_country c ON c.id = f.country_id
LEFT JOIN meetings_person p ON p.id = f.stated_by_id
JOIN meetings_source s ON s.id = f.source_id
WHERE f.state = 'published' AND (f.meeting_id IS NULL OR m.state = 'published')
"""
ROW = """SELECT f.id, i.name_en, f.scope, c.name_en, f.comparator, f.value, f.unit_multiplier,
f.unit, f.as_stated, f.period_label, p.name_en, f.estimate_by, s.language"""
ORDER = "ORDER BY i.name_en, f.period_end DESC NULLS LAST, f.id"


def listing(condition="", offset=0):
    return [
        f"{ROW} {VISIBLE} {condition} {ORDER} LIMIT 50 OFFSET {offset}",
        f"SELECT count(*) {VISIBLE} {condition}",
    ]


YEAR = "AND f.period_start <= make_date(%(year)s, 12, 31) AND f.period_end >= make_date(%(year)s, 1, 1)"  # noqa: E501
SEARCH = (
    f"AND (f.id IN (SELECT id FROM indicators_figure WHERE "
    f"{document('as_stated', 'quote', 'period_label', 'note', 'estimate_by')} @@ {QUERY}) "
    f"OR f.indicator_id IN (SELECT id FROM indicators_indicator WHERE "
    f"{document('name_en', 'name_ru', 'definition_en', 'definition_ru')} @@ {QUERY}))"
)
# A snapshot: each record's latest revision up to the moment, public at that moment.
MOMENT = "%(moment)s"


def latest(table, alias):
    return (
        f"{alias}.history_date <= {MOMENT} AND {alias}.history_type <> '-' AND NOT EXISTS "
        f"(SELECT 1 FROM {table} later WHERE later.id = {alias}.id "
        f"AND later.history_date > {alias}.history_date AND later.history_date <= {MOMENT})"
    )


SNAPSHOT_VISIBLE = f"""
FROM indicators_historicalfigure f
JOIN indicators_indicator i ON i.id = f.indicator_id
LEFT JOIN meetings_country c ON c.id = f.country_id
WHERE {latest("indicators_historicalfigure", "f")} AND f.state = 'published'
AND f.indicator_id IN (SELECT ih.id FROM indicators_historicalindicator ih
    WHERE {latest("indicators_historicalindicator", "ih")} AND ih.state = 'published')
AND (f.meeting_id IS NULL OR f.meeting_id IN (SELECT mh.id FROM meetings_historicalmeeting mh
    WHERE {latest("meetings_historicalmeeting", "mh")} AND mh.state = 'published'))
"""
HISTORY_TABLES = [
    "meetings_historicaltopic",
    "meetings_historicalcountry",
    "meetings_historicalperson",
    "meetings_historicalsource",
    "meetings_historicalmeeting",
    "meetings_historicalsession",
    "meetings_historicaldelegation",
    "meetings_historicalcommitment",
    "meetings_historicalcommitmentquote",
    "indicators_historicalindicator",
    "indicators_historicalfigure",
]
CHANGES = " UNION ALL ".join(
    f"(SELECT history_id, id, history_date, history_type, history_user_id, '{table}' AS kind "
    f"FROM {table} WHERE public_kind <> '' ORDER BY history_date DESC, history_id DESC LIMIT 50)"
    for table in HISTORY_TABLES
)
CHANGES_COUNT = " + ".join(
    f"(SELECT count(*) FROM {table} WHERE public_kind <> '')" for table in HISTORY_TABLES
)
FIGURE = f"""{ROW}, f.quote, f.note, f.period_start, f.period_end, s.title, s.url, m.title_en,
(SELECT count(*) FROM indicators_historicalfigure h WHERE h.id = f.id AND h.public_kind <> ''),
(SELECT max(history_date) FROM indicators_historicalfigure h
 WHERE h.id = f.id AND h.public_kind <> '')
{VISIBLE} AND f.id = %(figure)s"""
ADMIN_ROW = """SELECT f.*, i.name_en, c.name_en, s.title, p.name_en FROM indicators_figure f
JOIN indicators_indicator i ON i.id = f.indicator_id
LEFT JOIN meetings_country c ON c.id = f.country_id
JOIN meetings_source s ON s.id = f.source_id
LEFT JOIN meetings_person p ON p.id = f.stated_by_id"""
ADMIN_SEARCH = """WHERE f.as_stated ILIKE %(like)s OR f.quote ILIKE %(like)s
OR f.period_label ILIKE %(like)s OR f.note ILIKE %(like)s OR f.estimate_by ILIKE %(like)s
OR i.name_en ILIKE %(like)s OR i.name_ru ILIKE %(like)s OR c.name_en ILIKE %(like)s
OR c.name_ru ILIKE %(like)s"""
REVISIONS = """SELECT h.*, u.username FROM indicators_historicalfigure h
LEFT JOIN auth_user u ON u.id = h.history_user_id WHERE h.id = %(figure)s {public}
ORDER BY h.history_date DESC, h.history_id DESC LIMIT 51"""


@dataclass
class Page:
    key: str
    label: str
    kind: str  # public, admin_list, admin_search, admin_history
    url: str
    baseline: str | None
    essential: list[str] = field(default_factory=list)
    admin: bool = False
    remedy: str = ""  # what a miss here needs, from what the profiles and plans showed


ROWS_REMEDY = (
    "rows are read by key, the count is kept until the next public change, and the filter "
    "menus (every public source, meeting and indicator: 1,430 options, 115 KB of the 137 KB "
    "first page; they grow with those records, not with the figures) are written once per "
    "public change. What remains is about half the template (50 rows put in words, with "
    "their links) and half reading the rows (SQL and model instances). Keep each rendered "
    "row until its record's next public revision, and offer the source menu as a search "
    "box rather than a thousand options."
)


PAGES = [
    Page(
        "home",
        "Home",
        "public",
        "/",
        None,
        [
            "SELECT * FROM meetings_meeting WHERE state = 'published' "
            "ORDER BY start_date DESC, title_en LIMIT 3",
            "SELECT f.id, max(h.history_date) FROM (SELECT id, history_date "
            "FROM indicators_historicalfigure WHERE public_kind <> '' "
            "ORDER BY history_date DESC LIMIT 200) h JOIN indicators_figure f ON f.id = h.id "
            "JOIN indicators_indicator i ON i.id = f.indicator_id AND i.state = 'published' "
            "WHERE f.state = 'published' GROUP BY f.id ORDER BY 2 DESC LIMIT 6",
            f"SELECT i.id, i.name_en, count(*) {VISIBLE} GROUP BY i.id, i.name_en "
            f"ORDER BY 3 DESC, 2 LIMIT 6",
        ],
        remedy="the key figures and menus are kept until the next public change; what "
        "remains is the request's framework time.",
    ),
    Page(
        "list",
        "Figures list, page 1",
        "public",
        "/figures/",
        "/figures/",
        listing(),
        remedy=ROWS_REMEDY,
    ),
    Page(
        "deep",
        "Figures list, page 1,000",
        "public",
        "/figures/?page=1000",
        "/figures/?page=1000",
        listing(offset=49_950),
        remedy=ROWS_REMEDY,
    ),
    Page(
        "filtered",
        "Figures, country + year",
        "public",
        "/figures/?country={country}&year={year}",
        "/figures/?country={country}&year={year}",
        listing(f"AND c.code = %(country)s {YEAR}"),
        remedy=ROWS_REMEDY,
    ),
    Page(
        "search",
        "Figures, full-text search",
        "public",
        "/figures/?q={word}",
        "/figures/?q={word}",
        listing(SEARCH),
        remedy="the GIN index finds the matches, then every match is sorted in list order "
        "(thousands for a common word). Order a search by relevance with a limit before the "
        "sort, or keep each word's keys until the next public change.",
    ),
    Page(
        "as_of",
        "Figures ?as_of= mid-history",
        "public",
        "/figures/?as_of={as_of}",
        "/figures/?as_of={as_of}",
        [
            f"SELECT f.id, i.name_en, c.name_en, f.value, f.as_stated, f.period_label "
            f"{SNAPSHOT_VISIBLE} ORDER BY i.name_en, f.period_end DESC NULLS LAST, f.id LIMIT 50",
            f"SELECT count(*) {SNAPSHOT_VISIBLE}",
        ],
        remedy="a snapshot finds each record's latest revision by an anti-join over the history "
        "up to the moment, and the pagination counts them per indicator once per new moment. "
        "A `superseded_at` column on each revision (set when the next one is written) with "
        "an index on (history_date, superseded_at) makes a snapshot one index range.",
    ),
    Page(
        "detail",
        "Figure detail",
        "public",
        "/figures/{figure}/",
        "/figures/{figure}/",
        [FIGURE],
        remedy="the page's one query joins the figure's five related records and checks its "
        "two parents' publication: PostgreSQL spends about 12 ms planning it for 2 ms of "
        "execution on the machine of 2026-12-01 22:58 (EXPLAIN). The baseline's page reads "
        "four single-table rows. Reading the related records in a second, simpler query, "
        "or keeping the rendered page until the record's next public revision, would cut "
        "it; prepared statements (psycopg server-side binding) were tried and did not.",
    ),
    Page(
        "history",
        "Figure history",
        "public",
        "/figures/{figure}/history/",
        "/figures/{figure}/history/",
        [REVISIONS.format(public="AND h.public_kind <> ''")],
        remedy="the diffs are worked out in Python on each request; store each revision's "
        "diff when it is written.",
    ),
    Page(
        "indicator",
        "Indicator page (typical)",
        "public",
        "/indicators/{indicator}/",
        "/indicators/{indicator}/",
        [
            "SELECT * FROM indicators_indicator WHERE slug = %(indicator)s AND state = 'published'",
            f"{ROW} {VISIBLE} AND i.slug = %(indicator)s ORDER BY f.period_end, c.name_en, f.id",
        ],
        remedy="half the request renders the template (the table's rows and the chart's "
        "points as SVG), the rest reads the page's rows and the chart's points as model "
        "instances. Keep the drawn chart until the indicator's next public change, and each "
        "row as on the list.",
    ),
    Page(
        "indicator_largest",
        "Indicator page (largest)",
        "public",
        "/indicators/{indicator_largest}/",
        "/indicators/{indicator_largest}/",
        [
            "SELECT * FROM indicators_indicator WHERE slug = %(indicator_largest)s",
            f"{ROW} {VISIBLE} AND i.slug = %(indicator_largest)s "
            f"ORDER BY f.period_end, c.name_en, f.id",
        ],
        remedy="as the typical indicator page: keep the drawn chart until the "
        "indicator's next public change.",
    ),
    Page(
        "changes",
        "/changes/",
        "public",
        "/changes/",
        None,
        [f"{CHANGES} ORDER BY 3 DESC, 1 DESC LIMIT 50", f"SELECT {CHANGES_COUNT}"],
        remedy="the described page is kept until the next public change (one query); what "
        "remains is reading it back from the cache (about 150 KB to unpickle) and rendering "
        "50 entries with their diffs. Keep the rendered page, as the feed is kept (it varies "
        "only by language, filters and whether the reader is signed in).",
    ),
    Page(
        "changes_filtered",
        "/changes/ filtered (figures, country)",
        "public",
        "/changes/?type=figure&country={country}",
        None,
        [
            "SELECT h.* FROM indicators_historicalfigure h JOIN meetings_country c "
            "ON c.id = h.country_id WHERE h.public_kind <> '' AND c.code = %(country)s "
            "ORDER BY h.history_date DESC, h.history_id DESC LIMIT 50",
            "SELECT count(*) FROM indicators_historicalfigure h JOIN meetings_country c "
            "ON c.id = h.country_id WHERE h.public_kind <> '' AND c.code = %(country)s",
        ],
        remedy="as /changes/: keep the rendered page.",
    ),
    Page(
        "feed",
        "Atom feed of changes",
        "public",
        "/changes/feed/",
        None,
        [f"{CHANGES} ORDER BY 3 DESC, 1 DESC LIMIT 50"],
        remedy="the whole document is kept until the next public change; a slow request is "
        "the first after one (50 entries described and written).",
    ),
    Page(
        "csv",
        "CSV export (≈10,000 rows)",
        "public",
        "/figures/?format=csv&country={csv_country}",
        "/figures/export.csv?country={csv_country}",
        [f"{ROW}, f.quote, s.title, s.url {VISIBLE} AND c.code = %(csv_country)s {ORDER}"],
        remedy="every row is built from model instances (five per row with its related "
        "records), its value put in words and forty cells written: about half a millisecond "
        "a row; each row's revision count and date are two subqueries in the rows' query "
        "(2 queries in all instead of one per 500 rows, for about a third more SQL time). "
        "Build rows from `values()` tuples with the revision info kept on the record, or "
        "write the unfiltered file when a change is published and serve it as a static "
        "file.",
    ),
    Page(
        "admin_list",
        "Admin figure changelist",
        "admin_list",
        "/admin/indicators/figure/",
        "/admin/baseline/figure/",
        [
            f"{ADMIN_ROW} ORDER BY i.name_en, f.period_end DESC, f.id DESC LIMIT 100",
            "SELECT count(*) FROM indicators_figure",
        ],
        admin=True,
        remedy="about half the request renders the 50 rows (`items_for_result`), a "
        "quarter the indicator, country and meeting filters (327 whole records loaded, 330 "
        "links). Filter menus from `values_list` (ids and names) in a select, and the "
        "computed columns in the query.",
    ),
    Page(
        "admin_search",
        "Admin figure search",
        "admin_search",
        "/admin/indicators/figure/?q={word}",
        "/admin/baseline/figure/?q={word}",
        [
            f"{ADMIN_ROW} {ADMIN_SEARCH} ORDER BY i.name_en, f.period_end DESC, f.id DESC "
            f"LIMIT 100",
            f"SELECT count(*) FROM indicators_figure f JOIN indicators_indicator i "
            f"ON i.id = f.indicator_id LEFT JOIN meetings_country c ON c.id = f.country_id "
            f"{ADMIN_SEARCH}",
        ],
        admin=True,
        remedy="as the change list, plus the full-text match: the same filter and row "
        "rendering fixes.",
    ),
    Page(
        "admin_history",
        "Admin figure history",
        "admin_history",
        "/admin/indicators/figure/{figure}/history/",
        "/admin/baseline/figure/{figure}/history/",
        [REVISIONS.format(public="")],
        admin=True,
        remedy="50 revisions diffed in Python on each request; store each revision's "
        "diff when it is written.",
    ),
]


def selected(keys: str) -> list[Page]:
    """The pages named in ``keys`` (comma-separated; empty: all)."""
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    if not wanted:
        return PAGES
    unknown = set(wanted) - {page.key for page in PAGES}
    if unknown:
        known = ", ".join(page.key for page in PAGES)
        raise SystemExit(f"BENCH_PAGES: unknown {sorted(unknown)}; pages are: {known}")
    return [page for page in PAGES if page.key in wanted]
