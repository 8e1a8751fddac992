"""What ``make bench`` measures inside Django (run by ``run.py`` as a subprocess, once per
project, with that project's settings and the bench database):

* ``app``: picks the targets (a figure, indicators, a moment, a country…) from the
  generated data, signs a superuser in, counts each page's SQL queries through the test
  client (``CaptureQueriesContext``), runs ``EXPLAIN (ANALYZE, BUFFERS)`` on its slowest
  queries, and times saves with history against plain updates (rolled back);
* ``baseline``: signs the same superuser in and counts the baseline pages' queries.

``python -m bench.measure app|baseline OUT.json [PAGES]``; the results go to OUT.json.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

TOP_QUERIES = 4  # EXPLAIN ANALYZE this many of a page's slowest queries
DETAILS = ("Index Cond", "Filter", "Hash Cond", "Join Filter", "Sort Key", "Recheck Cond")


def setup():
    django.setup()


def sign_in():
    """A superuser with an unusable password, and a session cookie for it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin",
        defaults={"is_staff": True, "is_superuser": True, "email": ""},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save()
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    return client, f"sessionid={cookie}"


def pick_targets() -> dict:
    """Pages are measured on records chosen from the data, the same for both projects."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from indicators.models import Figure, Indicator

    marker = get_user_model().objects.get(username="demo-data")
    end = datetime.date.fromisoformat(json.loads(marker.last_name)["end"])
    as_of = end.replace(year=end.year - 10)
    visible = Figure.objects.published()
    revisions = (
        Figure.history.public()
        .filter(id__in=visible.values("id"))
        .values("id")
        .annotate(n=Count("*"))
        .order_by("-n", "id")
    )
    figure = next(row["id"] for row in revisions if row["n"] <= 50)
    counts = {
        row["indicator__slug"]: row["n"]
        for row in visible.values("indicator__slug").annotate(n=Count("*"))
    }
    mean = sum(counts.values()) / len(counts)
    typical = min(counts, key=lambda slug: (abs(counts[slug] - mean), slug))
    largest = max(counts, key=lambda slug: (counts[slug], slug))
    by_country = {
        row["country__code"]: row["n"]
        for row in visible.exclude(country=None).values("country__code").annotate(n=Count("*"))
    }
    csv_country = min(by_country, key=lambda code: (abs(by_country[code] - 10_000), code))
    assert Indicator.objects.published().filter(slug=typical).exists()
    moment = datetime.datetime.combine(as_of, datetime.time.max, tzinfo=datetime.UTC)
    return {
        "figure": figure,
        "figure_revisions": next(row["n"] for row in revisions if row["id"] == figure),
        "indicator": typical,
        "indicator_figures": counts[typical],
        "indicator_largest": largest,
        "indicator_largest_figures": counts[largest],
        "as_of": as_of.isoformat(),
        "moment": moment.isoformat(),
        "country": "KZ",
        "year": end.year - 10,
        "csv_country": csv_country,
        "csv_rows": by_country[csv_country],
        "word": "transit",
        "like": "%transit%",
        "end": end.isoformat(),
    }


def key_line(plan: dict) -> str:
    """The plan node that takes the most time of its own, as one readable line. (Under a
    Gather, workers run side by side: their loops share the wall-clock time.)"""
    best = (-1.0, None)

    def spent(node, sharing):
        return node.get("Actual Total Time", 0) * max(node.get("Actual Loops", 1), 1) / sharing

    def walk(node, sharing):
        nonlocal best
        inner = sharing
        if node["Node Type"] in ("Gather", "Gather Merge"):
            inner = node.get("Workers Launched", 0) + 1
        children = [c for c in node.get("Plans", []) if c.get("Parent Relationship") != "InitPlan"]
        own = spent(node, sharing) - sum(spent(child, inner) for child in children)
        if own > best[0]:
            best = (own, node)
        for child in node.get("Plans", []):
            walk(child, inner)

    walk(plan["Plan"], 1)
    own, node = best
    where = ""
    if node.get("Relation Name"):
        where += f" on {node['Relation Name']}"
    if node.get("Index Name"):
        where += f" using {node['Index Name']}"
    details = "; ".join(f"{key}: {node[key]}" for key in DETAILS if node.get(key))
    removed = node.get("Rows Removed by Filter")
    if removed:
        details += f"; rows removed by filter: {removed:,}"
    return (
        f"{node['Node Type']}{where} — {own:,.0f} ms of {plan['Execution Time']:,.0f} ms, "
        f"rows={node.get('Actual Rows', 0):,} loops={node.get('Actual Loops', 1):,}"
        + (f" ({details})" if details else "")
    )


def profile(client, url, top=4) -> list[str]:
    """Where a page spends its time outside SQL: the first-party functions with the most
    cumulative time, and the functions with the most time of their own."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    response = client.get(url, secure=True, HTTP_HOST="127.0.0.1")
    if response.streaming:
        b"".join(response.streaming_content)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(tt for (_cc, _nc, tt, _ct, _cl) in stats.values()) or 1
    root = str(Path(__file__).resolve().parent.parent)
    ours = sorted(
        (
            (cumulative, f"{Path(file).relative_to(root)}:{line} {name}")
            for (file, line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items()
            if file.startswith(root)
            and "/.venv/" not in file
            and "/bench/" not in file
            and name != "__call__"  # the middleware: every request passes through them
        ),
        reverse=True,
    )
    own = sorted(
        ((tt, f"{Path(file).name}:{line} {name}") for (file, line, name), (_cc, _nc, tt, _ct, _cl)
         in stats.items()),
        reverse=True,
    )  # fmt: skip
    return [f"{label} {seconds / total:.0%} cumulative" for seconds, label in ours[:top]] + [
        f"{label} {seconds / total:.0%} own" for seconds, label in own[:2]
    ]


def tables(queries) -> str:
    """How many queries read each table first (``FROM …``): where the count comes from."""
    import re
    from collections import Counter

    found = Counter()
    for query in queries:
        match = re.search(r'\bFROM \(*"?(\w+)"?', query["sql"])
        found[match.group(1) if match else query["sql"].split()[0]] += 1
    return ", ".join(f"{count}× {table}" for table, count in found.most_common())


def explain(sql: str):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return plan[0] if isinstance(plan, list) else json.loads(plan)[0]


class Counter:
    """Counts and times every query a request runs (``connection.execute_wrapper``)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def count_queries(client, url, *, explain_slowest, plans_dir, key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm up (templates, caches) before counting and timing, both projects alike.
    response = client.get(url, secure=True, HTTP_HOST="127.0.0.1")
    if response.streaming:
        b"".join(response.streaming_content)
    counter = Counter()
    connection.queries_log.clear()  # it keeps 9,000 queries: the counter counts them all
    started = time.perf_counter()
    with connection.execute_wrapper(counter), CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=True, HTTP_HOST="127.0.0.1")
        body = b"".join(response.streaming_content) if response.streaming else response.content
    result = {
        "status": response.status_code,
        "queries": counter.count,
        "bytes": len(body),
        "in_process_ms": (time.perf_counter() - started) * 1000,
        "sql_ms": counter.seconds * 1000,
    }
    if not explain_slowest:
        return result
    result["tables"] = tables(captured.captured_queries)
    if result["sql_ms"] < result["in_process_ms"] / 2:
        result["profile"] = profile(client, url)
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"] or 0))
    candidates = []
    for query in queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT") and sql not in candidates:
            candidates.append(sql)
        if len(candidates) == TOP_QUERIES:
            break
    slowest = None
    for sql in candidates:
        try:
            plan = explain(sql)
        except Exception as error:  # a query EXPLAIN cannot take: say so, go on
            result.setdefault("explain_errors", []).append(str(error)[:200])
            continue
        if slowest is None or plan["Execution Time"] > slowest[1]["Execution Time"]:
            slowest = (sql, plan)
    if slowest is not None:
        sql, plan = slowest
        (plans_dir / f"{key}.json").write_text(json.dumps({"sql": sql, "plan": plan}, indent=1))
        result["slowest_ms"] = plan["Execution Time"]
        result["key_line"] = key_line(plan)
        result["slowest_sql"] = sql[:300]
    return result


def save_ratio(figure_id, saves=100) -> dict:
    """N saves of one figure inside ``revision()``, against N of the same save with no
    revision (``restoring()``: the model's own ``save()``, no history noted or written)
    and N ``QuerySet.update()`` of the same field, in a transaction rolled back."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from indicators.models import Figure
    from sco_tracker.tracking.recording import restoring, revision

    user = get_user_model().objects.get(username="bench-admin")

    def timed(save_once) -> float:
        started = time.perf_counter()
        for n in range(saves):
            save_once(n)
        return (time.perf_counter() - started) * 1000 / saves

    with transaction.atomic():
        figure = Figure.objects.select_related("indicator").get(pk=figure_id)

        def with_history(n):
            with revision(user=user, reason=f"Benchmark save {n}"):
                figure.note = f"Benchmark note {n}"
                figure.save()

        def without_history(n):
            with restoring():
                figure.note = f"Benchmark plain note {n}"
                figure.save()

        def update(n):
            Figure.objects.filter(pk=figure_id).update(note=f"Benchmark update {n}")

        result = {
            "saves": saves,
            "with_history_ms": timed(with_history),
            "without_history_ms": timed(without_history),
            "update_ms": timed(update),
        }
        transaction.set_rollback(True)
    return result


def main():
    mode, out = sys.argv[1], Path(sys.argv[2])
    keys = sys.argv[3] if len(sys.argv) > 3 else ""
    setup()
    from bench.pages import selected

    client, cookie = sign_in()
    targets_file = out.parent / "targets.json"
    if mode == "app":
        targets = pick_targets()
        targets_file.write_text(json.dumps(targets, indent=1))
    else:
        targets = json.loads(targets_file.read_text())
    plans_dir = out.parent / "plans"
    plans_dir.mkdir(exist_ok=True)
    results = {"cookie": cookie, "targets": targets, "pages": {}}
    from django.test import Client

    reader = Client()  # public pages as readers request them (and as they are timed): no session
    for page in selected(keys):
        template = page.url if mode == "app" else page.baseline
        if template is None:
            continue
        url = template.format(**targets)
        results["pages"][page.key] = {"url": url} | count_queries(
            client if page.admin else reader,
            url,
            explain_slowest=mode == "app",
            plans_dir=plans_dir,
            key=page.key,
        )
    if mode == "app":
        runs = [save_ratio(targets["figure"]) for _ in range(3)]
        results["save"] = {"saves": runs[0]["saves"]} | {
            key: statistics.median(r[key] for r in runs)
            for key in ("with_history_ms", "without_history_ms", "update_ms")
        }
    out.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings.production")
    main()
