"""``make bench``: the public pages and the admin, served by gunicorn over HTTP on a generated
data set, against a by-the-docs baseline reading the same tables (``bench/baseline``).

Needs ``DATABASE_URL`` pointing at a PostgreSQL server; the benchmark uses its own database
on that server (``BENCH_DB``, default ``sco_tracker_bench``: created if missing, never the
database ``DATABASE_URL`` names nor a ``test_`` one). Steps: migrate; collectstatic;
``generate_demo_data`` (100,000 figures × 10 revisions unless already there); per page, in
process, the SQL query count and ``EXPLAIN ANALYZE`` of the slowest queries
(``measure.py``); the essential SELECT of each page through psycopg (``pages.py``);
gunicorn for both projects (2 workers each), 30 timed requests per page after warm-up; the
save-with-history ratio; ``wrk`` on the figures list. The table goes to stdout,
``var/bench/`` and — for a full run — ``docs/benchmarks.md`` (``report.py``).

Environment (all optional but ``DATABASE_URL``)::

    BENCH_DB=sco_tracker_bench   BENCH_REGENERATE=1 (drop the database and generate again)
    BENCH_FIGURES=100000  BENCH_REVISIONS=10  BENCH_SEED=1
    BENCH_PAGES=list,deep,changes   (a subset: quick, and docs/benchmarks.md is left alone)
    BENCH_RUNS=30  BENCH_BUDGET=20 (seconds per page and project; slower pages get fewer runs)
    BENCH_BASELINE=0 (skip the baseline)  BENCH_WRK=0 (skip wrk)  BENCH_WRK_SECONDS=30
"""

import http.client
import json
import math
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import report
from bench.pages import selected

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable


def env(name, default):
    return os.environ.get(name, default)


def log(message):
    print(f"==> {message}", flush=True)


def database_urls():
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("make bench needs DATABASE_URL=postgres://… (a PostgreSQL server).")
    name = env("BENCH_DB", "sco_tracker_bench")
    if name == parts.path.lstrip("/") or name.startswith("test_") or not name.isidentifier():
        raise SystemExit(f"BENCH_DB={name!r}: use a database of its own, not {parts.path!r}.")
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    server = urlunsplit(parts._replace(path="/postgres"))
    return name, bench, server


def prepare_database(name, server):
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = exists.fetchone() is not None
        if exists and env("BENCH_REGENERATE", "") == "1":
            log(f"Dropping {name} (BENCH_REGENERATE=1)")
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            log(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(*args, environ, capture=True):
    command = [PYTHON, "manage.py", *args]
    result = subprocess.run(
        command, cwd=ROOT, env=environ, text=True, capture_output=capture, check=False
    )
    if result.returncode:
        sys.stderr.write((result.stdout or "") + (result.stderr or ""))
        raise SystemExit(f"{' '.join(args)} failed")
    return result.stdout if capture else ""


def generate(bench_url, environ, params, record_file=None):
    """Generate unless the same data set is there; returns the generation's record."""
    with psycopg.connect(bench_url) as connection:
        row = connection.execute(
            "SELECT last_name FROM auth_user WHERE username = 'demo-data'"
        ).fetchone()
    record_file = record_file or OUT / "generation.json"
    record_file.parent.mkdir(parents=True, exist_ok=True)
    if row is not None:
        stored = json.loads(row[0])
        if any(stored[key] != params[key] for key in ("figures", "revisions", "seed")):
            raise SystemExit(
                f"The bench database holds another data set ({row[0]}): BENCH_REGENERATE=1."
            )
        log(f"Reusing the generated data ({row[0]})")
        if record_file.exists():
            return json.loads(record_file.read_text()) | {"reused": True}
        return {"seconds": None, "output": "", "reused": True, "params": stored}
    log(f"Generating {params['figures']:,} figures × {params['revisions']} revisions")
    started = time.perf_counter()
    output = subprocess.run(
        [PYTHON, "manage.py", "generate_demo_data", f"--figures={params['figures']}",
         f"--revisions={params['revisions']}", f"--seed={params['seed']}"],
        cwd=ROOT, env=environ, text=True, stdout=subprocess.PIPE, check=True,
    ).stdout  # fmt: skip
    record = {
        "seconds": time.perf_counter() - started,
        "output": output.strip(),
        "date": time.strftime("%Y-%m-%d"),
        "params": params,
    }
    print(output.strip())
    record_file.write_text(json.dumps(record, indent=1))
    return record | {"reused": False}


def measure(mode, environ, pages, out_dir=None):
    out = (out_dir or OUT) / f"{mode}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [PYTHON, "-m", "bench.measure", mode, str(out), pages], cwd=ROOT, env=environ, check=True
    )
    return json.loads(out.read_text())


def essential(bench_url, pages, targets, runs, budget):
    """Median ms of each page's essential SELECT(s), straight through psycopg."""
    import datetime

    params = dict(targets)
    params["moment"] = datetime.datetime.fromisoformat(targets["moment"])
    results = {}
    with psycopg.connect(bench_url, options="-c jit=off") as connection:
        for page in pages:

            def run_once(page=page):
                started = time.perf_counter()
                for sql in page.essential:
                    connection.execute(sql, params).fetchall()
                return (time.perf_counter() - started) * 1000

            first = run_once()
            samples = [run_once() for _ in range(repetitions(first, runs, budget))]
            results[page.key] = statistics.median(samples)
    return results


def repetitions(first_ms, runs, budget):
    if first_ms * runs <= budget * 1000:
        return runs
    return max(3, int(budget * 1000 / max(first_ms, 1)))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(name, wsgi, environ):
    port = free_port()
    log_file = (OUT / f"gunicorn-{name}.log").open("w")
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", wsgi, "--workers=2", f"--bind=127.0.0.1:{port}",
         "--timeout=600", "--log-level=warning"],
        cwd=ROOT, env=environ, stdout=log_file, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(300):
        try:
            fetch(port, "/")
            return process, port
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn ({name}) did not start: see {log_file.name}") from None
            time.sleep(0.1)
    raise SystemExit(f"gunicorn ({name}) did not answer")


def fetch(port, url, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, elapsed, len(body)


def time_page(port, url, cookie, runs, budget):
    load = os.getloadavg()[0]  # other work on the machine inflates the times: say how much
    status, first, _size = fetch(port, url, cookie)  # warm-up
    if first * 2 < budget * 1000 / runs:
        fetch(port, url, cookie)  # a second warm-up for the fast pages
    samples, statuses = [], {status}
    for _ in range(repetitions(first, runs, budget)):
        status, elapsed, size = fetch(port, url, cookie)
        statuses.add(status)
        samples.append(elapsed)
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[math.ceil(0.95 * len(samples)) - 1],
        "n": len(samples),
        "statuses": sorted(statuses),
        "load": load,
        "bytes": size,  # how much the page shows: pages of different sizes differ in cost
    }


def time_pages(label, port, pages, measured, runs, budget) -> dict:
    """{page key: ``time_page``} for each page ``measured`` has an address for."""
    timings = {}
    for page in pages:
        if page.key not in measured["pages"]:
            continue
        url = measured["pages"][page.key]["url"]
        log(f"{label}: {page.label} — {url}")
        cookie = measured["cookie"] if page.admin else None
        timings[page.key] = time_page(port, url, cookie, runs, budget)
    return timings


def wrk(port, seconds):
    if shutil.which("wrk") is None:
        return {"error": "wrk is not installed (apt-get install -y wrk)"}
    command = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout=120s", "--latency", "-H",
               "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}/figures/"]  # fmt: skip
    output = subprocess.run(command, text=True, capture_output=True, check=False).stdout
    shown = (
        "wrk -t2 -c4 -d{}s --timeout=120s --latency -H 'X-Forwarded-Proto: https' "
        "http://127.0.0.1:PORT/figures/"
    )
    result = {"command": shown.format(seconds), "raw": output}
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(words[1])
        elif "requests in" in line:
            result["requests"] = int(words[0])
        elif line.startswith("  Non-2xx"):
            result["non_2xx"] = int(words[-1])
        elif line.startswith("  Socket errors:"):
            result["socket_errors"] = line.split(":", 1)[1].strip()
        elif line.strip().startswith("50%") or line.strip().startswith("99%"):
            result[f"latency_{words[0]}"] = words[1]
    return result


def flat_cost(name, server, app_env, pages_setting, pages, params, runs, budget) -> dict:
    """Issue 11's flat page cost: the same pages, served the same way, on a data set a
    hundred times smaller (``BENCH_SMALL`` figures, its own database); each page's median
    there and here is compared in the report (within 1.5x)."""
    small = {**params, "figures": int(env("BENCH_SMALL", "1000"))}
    small_name = f"{name}_small"
    prepare_database(small_name, server)
    small_url = urlunsplit(urlsplit(app_env["DATABASE_URL"])._replace(path=f"/{small_name}"))
    small_env = app_env | {"DATABASE_URL": small_url}
    log(f"Flat page cost: {small['figures']:,} figures in {small_name}")
    manage("migrate", "--noinput", environ=small_env)
    generation = generate(small_url, small_env, small, OUT / "small" / "generation.json")
    measured = measure("app", small_env, pages_setting, OUT / "small")
    process, port = serve("app-small", "sco_tracker.wsgi:application", small_env)
    try:
        label = f"app, {small['figures']:,} figures"
        timings = time_pages(label, port, pages, measured, runs, budget)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"params": small, "generation": generation, "app": measured, "timings": timings}


def cpu_reference() -> float:
    """Seconds for a fixed pure-Python loop (best of three): how fast this machine runs
    Python, so runs on different machines can be told apart."""
    timings = []
    for _ in range(3):
        begun = time.perf_counter()
        sum(i * i for i in range(10_000_000))
        timings.append(time.perf_counter() - begun)
    return min(timings)


def main():
    started, load = time.perf_counter(), os.getloadavg()[0]
    reference = cpu_reference()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    OUT.mkdir(parents=True, exist_ok=True)
    name, bench_url, server = database_urls()
    pages_setting = env("BENCH_PAGES", "")
    pages = selected(pages_setting)
    runs, budget = int(env("BENCH_RUNS", "30")), float(env("BENCH_BUDGET", "20"))
    params = {
        "figures": int(env("BENCH_FIGURES", "100000")),
        "revisions": int(env("BENCH_REVISIONS", "10")),
        "seed": int(env("BENCH_SEED", "1")),
    }
    prepare_database(name, server)
    common = dict(os.environ, DATABASE_URL=bench_url, PYTHONPATH=str(ROOT))
    app_env = common | {
        "DJANGO_SETTINGS_MODULE": "sco_tracker.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    baseline_env = app_env | {"DJANGO_SETTINGS_MODULE": "bench.baseline.settings"}
    log("Migrating and collecting static files")
    manage("migrate", "--noinput", environ=app_env)
    manage("collectstatic", "--noinput", "-v0", environ=app_env)
    generation = generate(bench_url, app_env, params)
    log("Counting queries and explaining the slowest (in process)")
    app = measure("app", app_env, pages_setting)
    with_baseline = env("BENCH_BASELINE", "1") != "0"
    baseline = measure("baseline", baseline_env, pages_setting) if with_baseline else None
    log("Timing the essential SELECTs")
    essentials = essential(bench_url, pages, app["targets"], runs, budget)
    timings = {"app": {}, "baseline": {}}
    servers = [("app", "sco_tracker.wsgi:application", app_env, app)]
    if baseline is not None:
        servers.append(("baseline", "bench.baseline.wsgi:application", baseline_env, baseline))
    wrk_results = {}
    for label, wsgi, environ, measured in servers:
        process, port = serve(label, wsgi, environ)
        try:
            timings[label] = time_pages(label, port, pages, measured, runs, budget)
            if env("BENCH_WRK", "1") != "0":
                seconds = int(env("BENCH_WRK_SECONDS", "30"))
                log(f"{label}: wrk, {seconds} s, 4 connections, figures list")
                wrk_results[label] = wrk(port, seconds)
        finally:
            process.terminate()
            process.wait(timeout=30)
    flat = None
    if env("BENCH_FLAT", "1") != "0":
        flat = flat_cost(name, server, app_env, pages_setting, pages, params, runs, budget)
    results = {
        "flat": flat,
        "pages": [page.key for page in pages],
        "subset": bool(pages_setting),
        "app": app,
        "baseline": baseline,
        "essential": essentials,
        "timings": timings,
        "wrk": wrk_results,
        "generation": generation,
        "runs": runs,
        "budget": budget,
        "database": name,
        "elapsed": time.perf_counter() - started,
        "load": [load, os.getloadavg()[0]],
        "cpu_reference_s": reference,
        "commit": commit,
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=1, default=str))
    text = report.markdown(results, bench_url)
    (OUT / "last.md").write_text(text)
    print(report.terminal_table(results))
    if not pages_setting:
        (ROOT / "docs" / "benchmarks.md").write_text(text)
        log("Written docs/benchmarks.md")
    log(f"Done in {time.perf_counter() - started:.0f} s (results in var/bench/)")


if __name__ == "__main__":
    main()
