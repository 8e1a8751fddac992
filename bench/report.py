"""The results of ``make bench`` as a table: against the issue's targets, with the measured
cause of each miss (the key line of the slowest query's ``EXPLAIN ANALYZE``)."""

import json
import os
import platform

import psycopg

from bench.pages import BASELINE_FACTOR, DEEP_FACTOR, PAGES, TARGETS

COMMAND = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/sco_tracker make bench"


def target_text(page) -> str:
    target = TARGETS[page.kind]
    parts = [f"p95 ≤ {target['p95']} ms"]
    if "queries" in target:
        parts.append(f"≤ {target['queries']} queries")
    if page.key == "deep":
        parts.append(f"≤ {DEEP_FACTOR}× page 1")
    if page.baseline:
        parts.append(f"≥ {BASELINE_FACTOR}× baseline")
    return ", ".join(parts)


def misses(page, results) -> list[str]:
    target = TARGETS[page.kind]
    measured = results["app"]["pages"][page.key]
    timing = results["timings"]["app"].get(page.key)
    found = []
    statuses = timing["statuses"] if timing else [measured["status"]]
    if statuses != [200] or measured["status"] != 200:
        found.append(f"HTTP {', '.join(map(str, statuses))}")
    if timing and timing["p95"] > target["p95"]:
        found.append(f"p95 {timing['p95']:,.0f} ms > {target['p95']} ms")
    if "queries" in target and measured["queries"] > target["queries"]:
        found.append(f"{measured['queries']} queries > {target['queries']}")
    first = results["timings"]["app"].get("list")
    if page.key == "deep" and timing and first:
        factor = timing["p95"] / first["p95"]
        if factor > DEEP_FACTOR:
            found.append(f"{factor:.1f}× page 1 > {DEEP_FACTOR}×")
    factor = baseline_factor(page, results)
    if factor is not None and factor < BASELINE_FACTOR:
        found.append(f"only {factor:.1f}× the baseline's speed (< {BASELINE_FACTOR}×)")
    return found


FLAT_FACTOR = 1.5  # issue 11: a page costs about the same at 1,000 and 100,000 figures
GROWS_WITH_DATA = {"csv"}  # an export of every matching row grows with the data, as it should


def flat_table(results) -> list[str]:
    """Each page's median on the small data set against this run's, and its queries."""
    flat = results.get("flat")
    if not flat:
        return ["Not measured in this run (`BENCH_FLAT=0`)."]
    small = flat["params"]["figures"]
    lines = [
        f"The same pages on {small:,} figures × {flat['params']['revisions']} revisions (a "
        f"database of its own, `{results['database']}_small`), served and timed the same "
        f"way; target: the page at {results['generation']['params']['figures']:,} "
        f"figures within {FLAT_FACTOR}× its time here, with no more queries.",
        "",
        f"| Page | median ms, {small:,} figures | median ms, this run | ratio | queries "
        f"(small / this run) | page KB (small / this run) | Result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    by_key = {page.key: page for page in PAGES}
    for key in results["pages"]:
        here = results["timings"]["app"].get(key)
        there = flat["timings"].get(key)
        if not (here and there):
            continue
        ratio = here["median"] / there["median"]
        queries = (flat["app"]["pages"][key]["queries"], results["app"]["pages"][key]["queries"])
        sizes = " / ".join(
            f"{timing['bytes'] / 1024:,.0f}" if timing.get("bytes") else "—"
            for timing in (there, here)
        )
        if key in GROWS_WITH_DATA:
            verdict = "n/a: its rows grow with the data"
        else:
            found = []
            if ratio > FLAT_FACTOR:
                found.append(f"{ratio:.1f}× > {FLAT_FACTOR}×")
            if queries[1] > queries[0]:
                found.append("more queries")
            verdict = ("**MISS**: " + "; ".join(found)) if found else "met"
        lines.append(
            f"| {by_key[key].label} | {ms(there['median'])} | {ms(here['median'])} | "
            f"{ratio:.1f}× | {queries[0]} / {queries[1]} | {sizes} | {verdict} |"
        )
    lines += [
        "",
        "The records measured are picked from each data set (the most revised figure, the "
        "indicator nearest the mean and the largest, the country nearest 10,000 figures for "
        "the CSV), so a page may show fewer "
        "rows on the small set (a filter matching a handful of figures, an indicator's chart "
        "of 52 points instead of 300): the page sizes say how much each showed. Queries may "
        "differ by record (a history whose revisions name other records reads them); a page "
        "running more queries on the larger set would be a miss. Where a page grows, its size "
        "says why: the list pages' filter menus hold every public source, meeting and "
        "indicator, so they grow with those records (the remedy is under the list's miss "
        "below).",
    ]
    return lines


def baseline_factor(page, results):
    timing = results["timings"]["app"].get(page.key)
    other = results["timings"].get("baseline", {}).get(page.key)
    if not (timing and other):
        return None
    return other["median"] / timing["median"]


def rows(results):
    by_key = {page.key: page for page in PAGES}
    for key in results["pages"]:
        page = by_key[key]
        measured = results["app"]["pages"][key]
        timing = results["timings"]["app"].get(key, {})
        baseline = (results.get("baseline") or {}).get("pages", {}).get(key)
        other = results["timings"].get("baseline", {}).get(key)
        essential = results["essential"].get(key)
        yield page, measured, timing, baseline, other, essential


def ms(value):
    return "—" if value is None else f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def table(results) -> list[str]:
    lines = [
        "| Page | Target | median ms | p95 ms (n) | queries | essential SELECT ms | "
        "page ÷ essential | baseline median / p95 ms | baseline queries | baseline ÷ page | "
        "load | Result |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, measured, timing, baseline, other, essential in rows(results):
        found = misses(page, results)
        factor = baseline_factor(page, results)
        lines.append(
            " | ".join(
                [
                    f"| {page.label}",
                    target_text(page),
                    ms(timing.get("median")),
                    f"{ms(timing.get('p95'))} ({timing.get('n', 0)})",
                    str(measured["queries"]),
                    ms(essential),
                    f"{timing['median'] / essential:,.1f}×" if timing and essential else "—",
                    f"{ms(other['median'])} / {ms(other['p95'])}" if other else "n/a",
                    str(baseline["queries"]) if baseline else "n/a",
                    f"{factor:,.1f}×" if factor is not None else "n/a",
                    f"{timing['load']:.1f}" if "load" in timing else "—",
                    ("**MISS**: " + "; ".join(found)) if found else "met",
                ]
            )
            + " |"
        )
    return lines


def causes(results) -> list[str]:
    lines = []
    for page, measured, _timing, _baseline, _other, _essential in rows(results):
        found = misses(page, results)
        if not found:
            continue
        lines.append(f"- **{page.label}** (`{measured['url']}`) — {'; '.join(found)}.")
        lines.append(
            f"  In process: {measured['in_process_ms']:,.0f} ms, of which SQL "
            f"{measured['sql_ms']:,.0f} ms in {measured['queries']} queries."
        )
        if measured.get("key_line"):
            lines.append(
                f"  Slowest query ({measured['slowest_ms']:,.0f} ms under EXPLAIN ANALYZE), "
                f"key line of its plan: `{measured['key_line']}`"
            )
            lines.append(f"  Query: `{' '.join(measured['slowest_sql'].split())[:200]}…`")
        if any("queries >" in miss for miss in found):
            lines.append(f"  Queries by table: {measured['tables']}.")
        if measured.get("profile"):
            lines.append(
                "  Most of the time is outside SQL; cProfile (share of the request): "
                + "; ".join(f"`{entry}`" for entry in measured["profile"])
            )
        if page.remedy:
            lines.append(f"  Cause and the fix it needs: {page.remedy}")
    return lines


def dataset(bench_url) -> dict:
    with psycopg.connect(bench_url) as connection:

        def one(sql):
            return connection.execute(sql).fetchone()[0]

        history = [
            "meetings_historical" + name
            for name in ("topic", "country", "person", "source", "meeting", "session",
                         "delegation", "commitment", "commitmentquote")
        ] + ["indicators_historicalindicator", "indicators_historicalfigure"]  # fmt: skip
        return {
            "figures": one("SELECT count(*) FROM indicators_figure"),
            "figure_revisions": one("SELECT count(*) FROM indicators_historicalfigure"),
            "revisions": sum(one(f"SELECT count(*) FROM {table}") for table in history),
            "indicators": one("SELECT count(*) FROM indicators_indicator"),
            "countries": one("SELECT count(*) FROM meetings_country"),
            "meetings": one("SELECT count(*) FROM meetings_meeting"),
            "commitments": one("SELECT count(*) FROM meetings_commitment"),
            "sources": one("SELECT count(*) FROM meetings_source"),
            "postgres": one("SHOW server_version"),
            "size": one("SELECT pg_size_pretty(pg_database_size(current_database()))"),
        }


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            models = [line for line in info if line.startswith("model name")]
        cpu = models[0].split(":", 1)[1].strip() if models else ""
    except OSError:
        pass
    import django

    return (
        f"{os.cpu_count()} cores ({cpu or platform.processor()}), Python "
        f"{platform.python_version()}, Django {django.get_version()}"
    )


def other_measurements(results) -> list[str]:
    lines = []
    save = results["app"].get("save")
    if save:
        ratio = save["with_history_ms"] / save["without_history_ms"]
        verdict = "met" if ratio <= 1.5 else "**MISS** (target ≤ 1.5×)"
        lines.append(
            f"- **Save with history ÷ save without**: {ratio:,.1f}×, {verdict} — "
            f"{save['saves']} saves of one figure inside `revision()` at "
            f"{save['with_history_ms']:,.2f} ms each, against the same save with no revision "
            f"(`restoring()`) at {save['without_history_ms']:,.2f} ms; a bare "
            f"`QuerySet.update()` of the field takes {save['update_ms']:,.2f} ms (median of 3 "
            f"rounds, rolled back)."
        )
    generation = results["generation"]
    if generation.get("seconds"):
        params = generation["params"]
        total = params["figures"] * params["revisions"]
        when = " (this run)" if not generation.get("reused") else (
            f" (when generated, {generation.get('date', '?')}; reused by this run)"
        )  # fmt: skip
        lines.append(
            f"- **Generation**: {generation['seconds']:,.0f} s{when} for {total:,} figure "
            f"revisions, {total / generation['seconds']:,.0f} per second (target ≥ 5,000/s) — "
            f"`{generation['output']}`"
        )
    for label, found in results.get("wrk", {}).items():
        if "rps" in found:
            lines.append(
                f"- **wrk, figures list, {label}**: {found['rps']:,.1f} requests/s "
                f"({found.get('requests', 0):,} requests; latency p50 "
                f"{found.get('latency_50%', '?')}, p99 {found.get('latency_99%', '?')}; "
                f"non-2xx: {found.get('non_2xx', 0)}; socket errors: "
                f"{found.get('socket_errors', 'none')}) — `{found['command']}`"
            )
        else:
            lines.append(f"- **wrk, {label}**: {found.get('error', 'no result')}")
    return lines


def markdown(results, bench_url) -> str:
    data = dataset(bench_url)
    targets = results["app"]["targets"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`) from its own run; run it again to refresh.",
        "",
        "```sh",
        COMMAND,
        "```",
        "",
        f"Run {results['finished']} at commit `{results['commit']}` (plus the working tree), "
        f"on {machine()}, PostgreSQL {data['postgres']}; {results['elapsed'] / 60:,.1f} minutes "
        f"end to end. A fixed Python loop (`sum(i * i for i in range(10_000_000))`) took "
        f"{results['cpu_reference_s']:.2f} s on this machine: compare it before comparing "
        f"runs made on different machines. Load average (1 min) {results['load'][0]:.2f} when "
        f"the run began"
        + (
            " — **other work was running; times are inflated.**"
            if results["load"][0] > 1
            else " (while it runs, its own servers, client and PostgreSQL share the 2 cores)."
        ),
        "",
        f"Data (`generate_demo_data`, database `{results['database']}`, {data['size']}): "
        f"{data['figures']:,} figures with {data['figure_revisions']:,} revisions "
        f"({data['revisions']:,} revisions in all), {data['indicators']} indicators, "
        f"{data['countries']} countries, {data['meetings']} meetings, "
        f"{data['commitments']} commitments, {data['sources']:,} sources. Pages measured on: "
        f"figure #{targets['figure']} ({targets['figure_revisions']} public revisions), "
        f"indicators `{targets['indicator']}` ({targets['indicator_figures']} figures, the "
        f"nearest to the mean) and `{targets['indicator_largest']}` "
        f"({targets['indicator_largest_figures']}, the largest), as of {targets['as_of']}, "
        f"country {targets['country']} and year {targets['year']}, search word "
        f"“{targets['word']}”, CSV of country {targets['csv_country']} "
        f"({targets['csv_rows']:,} rows).",
        "",
        "## Pages",
        "",
        *table(results),
        "",
        "Times are over HTTP from gunicorn (2 sync workers per project), "
        f"{results['runs']} requests per page after warm-up (n is lower where "
        f"{results['runs']} requests would take over {results['budget']:.0f} s); p95 is the "
        "nearest-rank 95th percentile. Queries are counted in process (test client, "
        "`CaptureQueriesContext`) with the same settings, on a second request (the first "
        "warms caches), public pages without a session as readers send them, admin pages "
        "signed in. “Essential SELECT” is the page's "
        "own data read by hand-written SQL (`bench/pages.py`) through psycopg; "
        "“baseline ÷ page” compares medians. “load” is the 1-minute load average when the "
        "page's requests began (on 2 cores; the run's own server, client and PostgreSQL "
        "account for about 1 to 1.5 of it).",
        "",
        "## Flat page cost",
        "",
        *flat_table(results),
        "",
        "## Misses and their measured causes",
        "",
        *(causes(results) or ["None."]),
        "",
        "The full plans are in `var/bench/plans/<page>.json` after a run.",
        "",
        "## Other measurements",
        "",
        *other_measurements(results),
        "",
        "## How it is measured",
        "",
        "- Both projects read the same database. This one runs with "
        "`DJANGO_SETTINGS_MODULE=sco_tracker.settings.production`, a random 64-character "
        "`SECRET_KEY`, `ALLOWED_HOSTS=127.0.0.1,localhost` and static files collected "
        "(`collectstatic`, for the manifest storage); requests carry "
        "`X-Forwarded-Proto: https`, as from the TLS proxy production expects, so "
        "`SECURE_SSL_REDIRECT` stays on. Both projects keep their database connections "
        "between requests (`CONN_MAX_AGE` 60 s with health checks: the production settings' "
        "default, and the baseline's settings the same).",
        "- The baseline (`bench/baseline/`) is Django's and the libraries' documented "
        "patterns: `FilterView` with `paginate_by`, `DetailView`, simple-history's "
        "`history.as_of()` and `diff_against()`, a streamed CSV loop, a stock `ModelAdmin` "
        "(`SimpleHistoryAdmin`); no `select_related`, default ordering. Its search is "
        "`icontains`, not full text; its `as_of` ignores the parents' publication; it has no "
        "home page, `/changes/` or feed (n/a).",
        "- Admin pages are requested with a session of a generated superuser "
        "(`bench-admin`, no usable password) created in process.",
        "- Re-run quickly: the generated database is reused (`BENCH_REGENERATE=1` to "
        "rebuild); `BENCH_PAGES=list,deep,changes` measures a subset (then this file is left "
        "alone; see `var/bench/last.md`); `BENCH_BASELINE=0`, `BENCH_WRK=0` skip those parts. "
        "Page keys: " + ", ".join(f"`{page.key}`" for page in PAGES) + ".",
        "",
    ]
    return "\n".join(lines)


def terminal_table(results) -> str:
    lines = ["", f"{'page':<40} {'median':>8} {'p95':>8} {'queries':>7} {'base/page':>9}  result"]
    for page, measured, timing, _baseline, _other, _essential in rows(results):
        factor = baseline_factor(page, results)
        found = misses(page, results)
        lines.append(
            f"{page.label:<40} {ms(timing.get('median')):>8} {ms(timing.get('p95')):>8} "
            f"{measured['queries']:>7} {(f'{factor:.1f}x' if factor else 'n/a'):>9}  "
            + ("MISS: " + "; ".join(found) if found else "met")
        )
    lines += ["", *other_measurements(results), ""]
    return "\n".join(lines)


def main():
    """Write the report again from the last run's results (``python -m bench.report``,
    with the same ``DATABASE_URL``), after a change to its wording: no page is timed."""
    from bench.run import OUT, ROOT, database_urls

    results = json.loads((OUT / "results.json").read_text())
    _name, bench_url, _server = database_urls()
    text = markdown(results, bench_url)
    (OUT / "last.md").write_text(text)
    if not results["subset"]:
        (ROOT / "docs" / "benchmarks.md").write_text(text)


if __name__ == "__main__":
    main()
