"""Timing of the public pages on a large, generated data set.

Runs in a throw-away test database (created and dropped like the test suite's), so it
never touches real data: ``DATABASE_URL=postgres://… manage.py benchmark``.
"""

import datetime
import random
import statistics
import time
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sco_tracker.tracking.recording import revision
from sco_tracker.tracking.states import PublicKind

# Ten subjects, so a one-subject search matches a tenth of the figures, as on a real site.
PHRASES = [
    "Trade turnover",
    "Transit freight",
    "Investment in industrial parks",
    "Electricity exports",
    "Grain deliveries",
    "Tourist arrivals",
    "Remittances",
    "Railway container traffic",
    "Digital services exports",
    "Water-sector lending",
]

PAGES = [
    ("Figures list (50 rows)", "/figures/"),
    ("Figures list (200 rows)", "/figures/?per_page=200"),
    ("Figures, filtered by country and year", "/figures/?country=KZ&year=2024"),
    ("Figures, full-text search", "/figures/?q=trade+turnover"),
    ("Figures, sorted by value", "/figures/?sort=-value"),
    ("Figures as JSON (50 rows)", "/figures/?format=json"),
    ("Figures as CSV (every row, streamed)", "/figures/?format=csv"),
    ("Figures as they stood a month ago", "/figures/?as_of={month_ago}"),
    ("Indicator page with chart", "/indicators/{indicator}/"),
    ("Figure page", "/figures/{figure}/"),
    ("Figure history (revisions)", "/figures/{figure}/history/"),
    ("Site-wide changes (50)", "/changes/"),
    ("Changes Atom feed (50)", "/changes/feed/"),
    ("Meetings list", "/meetings/"),
    ("Home page", "/"),
]


class Command(BaseCommand):
    help = "Generate a large data set in a throw-away database and time the public pages."

    def add_arguments(self, parser):
        parser.add_argument("--figures", type=int, default=5000)
        parser.add_argument(
            "--revisions", type=int, default=4, help="per figure, creation included"
        )
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, *args, figures, revisions, runs, **options):
        if figures < 1 or revisions < 1 or runs < 1:
            raise CommandError("--figures, --revisions and --runs must be positive.")
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            call_command("load_seed_data", verbosity=0)
            started = time.perf_counter()
            context = self.generate(figures, revisions)
            self.stdout.write(
                f"Database: {connection.vendor} · {figures} figures, "
                f"{figures * revisions} figure revisions "
                f"(generated in {time.perf_counter() - started:.0f} s) · {runs} runs per page\n"
            )
            self.measure(context, runs)
        finally:
            teardown_databases(old_config, verbosity=0)

    def generate(self, figure_count, revision_count):
        from indicators.models import Figure, Indicator, MeasureKind, Scope
        from meetings.models import Country, Source

        rng = random.Random(2025)
        # Creation revisions a month back, so "as of a month ago" has something to show.
        month_ago = timezone.now() - datetime.timedelta(days=30)
        created_on = month_ago - datetime.timedelta(days=1)
        countries = list(Country.objects.all())
        indicators = [
            Indicator(
                slug=f"generated-{n}",
                name_en=f"Generated trade indicator {n}",
                name_ru=f"Сгенерированный показатель торговли {n}",
                measure_kind=MeasureKind.LEVEL,
                default_unit="USD",
                default_unit_multiplier=9,
                state="published",
            )
            for n in range(40)
        ]
        bulk_create_with_history(
            indicators,
            Indicator,
            default_change_reason="Benchmark data",
            default_date=created_on,
            custom_historical_attrs={"public_kind": PublicKind.CREATED},
        )
        indicators = list(Indicator.objects.filter(slug__startswith="generated-"))
        with revision(reason="Benchmark data"):
            sources = [
                Source.objects.create(
                    title=f"Benchmark release {n}", publisher="Benchmark", language="en"
                )
                for n in range(50)
            ]
        figures = []
        for n in range(figure_count):
            # Distinct (indicator, country, year, source) for every n: the unique constraint.
            year = 2000 + (n // 400) % 25
            figures.append(
                Figure(
                    indicator=indicators[n % len(indicators)],
                    measure_kind=MeasureKind.LEVEL,
                    scope=Scope.COUNTRY,
                    country=countries[(n // 40) % len(countries)],
                    as_stated=f"более ${n % 97 + 1} млрд",
                    comparator=rng.choice(["exact", "more_than", "approximately", "nearly"]),
                    value=Decimal(n % 97 + 1),
                    unit_multiplier=9,
                    unit="USD",
                    period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 12, 31),
                    period_label=str(year),
                    source=sources[(n // 10_000) % len(sources)],
                    quote=f"{PHRASES[n % len(PHRASES)]} reached more than ${n % 97 + 1} billion "
                    f"in {year}.",
                    state="published",
                )
            )
        created = bulk_create_with_history(
            figures,
            Figure,
            batch_size=1000,
            default_change_reason="Benchmark data",
            default_date=created_on,
            custom_historical_attrs={"public_kind": PublicKind.CREATED},
        )
        saved = list(Figure.objects.filter(source__publisher="Benchmark"))
        for round_number in range(1, revision_count):
            for figure in saved:
                figure.value = figure.value + 1
            bulk_update_with_history(
                saved,
                Figure,
                ["value"],
                batch_size=1000,
                default_change_reason=f"Benchmark revision {round_number}",
                custom_historical_attrs={"public_kind": PublicKind.CHANGED},
            )
        assert len(created) == figure_count
        # Fresh statistics, as autovacuum would have gathered on a live database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return {
            "month_ago": month_ago.date().isoformat(),
            "indicator": indicators[0].slug,
            "figure": saved[0].pk,
        }

    def measure(self, context, runs):
        client = Client()
        self.stdout.write("| Page | median ms | p95 ms | queries |")
        self.stdout.write("| --- | ---: | ---: | ---: |")
        for label, template in PAGES:
            url = template.format(**context)
            self.fetch(client, url)  # warm-up
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                self.fetch(client, url)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                self.fetch(client, url)
            timings.sort()
            p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
            self.stdout.write(
                f"| {label} | {statistics.median(timings):.0f} | {p95:.0f} | "
                f"{len(queries.captured_queries)} |"
            )

    def fetch(self, client, url):
        response = client.get(url, HTTP_HOST="localhost")
        if response.status_code != 200:
            raise CommandError(f"{url}: HTTP {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)
