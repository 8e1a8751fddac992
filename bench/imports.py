"""``make bench-import``: how long the admin's figure import takes for 10,000 rows — new,
then every one changed, then the same file again (unchanged) — through the admin's two
requests (preview, confirm) with production settings, and through ``import_figures``.

Needs ``DATABASE_URL`` pointing at a PostgreSQL server; uses its own database there
(``BENCH_IMPORT_DB``, default ``sco_tracker_import_bench``), dropped and created each run:
migrate, the seed data, an editor, then the files. ``BENCH_IMPORT_ROWS`` (default 10000)
sets the file's size. Prints one line per step."""

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.run import PYTHON, ROOT, database_urls, log, manage

EDITOR = "bench-importer"


def csv_script(directory: Path, name: str, rows: int, decimals: str) -> str:
    """Python for ``manage.py shell`` writing ``rows`` figures of trade with SCO members,
    one per country and year from 1000 on, values with decimal commas (``decimals`` after
    the comma)."""
    script = f"""
from indicators.models import Indicator
from meetings.models import Country, Source
from sco_tracker.tracking.importing.files import write_csv
source = Source.objects.order_by("pk").first().title
codes = list(Country.objects.order_by("code").values_list("code", flat=True))
headers = ["indicator", "country", "value", "unit_multiplier", "unit", "comparator",
           "period_start", "period_end", "period_label", "as_stated", "source_title"]
rows = []
for n in range({rows}):
    year = 1000 + n // len(codes)
    value = f"{{n % 997}},{decimals}"
    rows.append(["trade-with-sco-members", codes[n % len(codes)], value, "млрд", "USD",
                 "more_than", f"{{year}}-01-01", f"31.12.{{year}}", str(year),
                 f"более ${{value}} млрд", source])
open({str(directory / name)!r}, "w", encoding="utf-8", newline="").write(write_csv(headers, rows))
"""
    return script


ADMIN_FLOW = """
import os, time
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

setup_test_environment()  # the responses' context, to post the confirm form back
path = os.environ["BENCH_IMPORT_FILE"]
client = Client()
client.force_login(get_user_model().objects.get(username=%(editor)r))
upload = SimpleUploadedFile(path.rsplit("/", 1)[-1], open(path, "rb").read())
started = time.perf_counter()
shown = client.post(
    reverse("admin:indicators_figure_import"),
    {"import_file": upload, "resource": "0", "format": "", "decimal_mark": "", "reason": ""},
    secure=True,
)
previewed = time.perf_counter()
form = shown.context["confirm_form"]
data = {name: form.initial.get(name) or "" for name in form.fields}
done = client.post(reverse("admin:indicators_figure_process_import"), data, secure=True)
confirmed = time.perf_counter()
counts = shown.context["result"].counts()
print(f"preview {previewed - started:.1f} s (HTTP {shown.status_code}), "
      f"confirm {confirmed - previewed:.1f} s (HTTP {done.status_code}); {counts}")
"""


def main():
    _, _, server = database_urls()
    name = os.environ.get("BENCH_IMPORT_DB", "sco_tracker_import_bench")
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
    bench_url = server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    environ = dict(
        os.environ,
        DATABASE_URL=bench_url,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="sco_tracker.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="localhost",
    )
    log(f"Database {name}: migrate, seed data, an editor")
    manage("migrate", "--noinput", environ=environ)
    manage("collectstatic", "--noinput", "-v0", environ=environ)
    manage("load_seed_data", environ=environ)
    manage(
        "shell",
        "-c",
        f"from tests.factories import EditorFactory; EditorFactory(username={EDITOR!r})",
        environ=environ,
    )
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for file_name, decimals in (("new.csv", "5"), ("changed.csv", "75")):
            manage("shell", "-c", csv_script(directory, file_name, rows, decimals), environ=environ)
        steps = [
            ("admin, new rows", "new.csv"),
            ("admin, every row changed", "changed.csv"),
            ("admin, the same file again", "changed.csv"),
        ]
        for label, file_name in steps:
            started = time.perf_counter()
            result = subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", ADMIN_FLOW % {"editor": EDITOR}],
                cwd=ROOT, env=environ | {"BENCH_IMPORT_FILE": str(directory / file_name)},
                text=True, capture_output=True, check=False,
            )  # fmt: skip
            if result.returncode:
                sys.stderr.write(result.stdout + result.stderr)
                raise SystemExit(f"{label} failed")
            line = result.stdout.strip().splitlines()[-1]
            log(f"{rows:,} rows, {label}: {line} — {time.perf_counter() - started:.1f} s in all")
        started = time.perf_counter()
        output = manage(
            "import_figures", str(directory / "new.csv"), "--user", EDITOR, "--reason",
            "Benchmark", environ=environ,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        label = "import_figures (every row changed back)"
        log(f"{rows:,} rows, {label}: {output.strip()} — {seconds:.1f} s")
    with psycopg.connect(bench_url) as connection:
        (revisions,) = connection.execute(
            "SELECT count(*) FROM indicators_historicalfigure WHERE history_change_reason LIKE %s",
            ["%Imported from%"],
        ).fetchone()
    log(f"Revisions written by the imports: {revisions:,}")


if __name__ == "__main__":
    main()
