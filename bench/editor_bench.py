"""Timings for saving a 200-line plan from the plan editor's grid. Not a test: run it by hand.

    .venv/bin/python bench/editor_bench.py               # 7 timed saves
    .venv/bin/python bench/editor_bench.py --repeats 15
    EDITOR_BENCH_PROFILE=1 .venv/bin/python bench/editor_bench.py   # also prints a profile of one save and one open

It makes a throwaway SQLite database in a temporary folder, migrates it, loads the reference data, and adds a lead
and `bench/data.py`'s 200-line plan. Each run opens the editor (timed apart), changes one line's note and one FTE, as
a lead would, and times the POST of the whole page through Django's test client, in process (the middleware, the
view, validating all 200 rows, the save with its history, and the redirect). One warm-up save first, then `--repeats`
timed saves with a `gc.collect()` before each; it prints the fastest and the median save, the median time to open
the editor (GET), and the size of the editor's HTML before and after gzip.
"""

import argparse
import gc
import gzip
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 1.0
LINES = 200
FORM_ENCODED = "application/x-www-form-urlencoded"  # as a browser posts the editor's form


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="nwwmh-editor-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("NWWMH_LOCAL", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwwmh_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # the test client's host, and no real emails
    # Static files are not collected for an in-process run: their URLs unhashed, as in the tests.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages).enable()
    call_command("migrate", verbosity=0)
    fixtures = sorted(str(path) for path in (ROOT / "fixtures" / "reference").glob("*.yaml"))
    call_command("loaddata", *fixtures, verbosity=0)

    from bench.data import demand_lines, plan_with_lines, staffing_lines
    from planning import services
    from planning.models import Membership, Team, TeamType
    from roles.models import Role
    from tests.factories import add_member, make_organisation, make_user
    from tests.helpers import form_values
    from tests.mfa import mark_verified

    lead = make_user("bench-lead", "Bench", "Lead")
    organisation = make_organisation("Bench trust", "bench-trust", "ZZB01")
    add_member(lead, organisation, Membership.Access.LEAD)
    team = Team.objects.create(
        organisation=organisation, team_type=TeamType.objects.order_by("name").first(), name="Bench team"
    )
    roles = list(Role.objects.filter(band_min__isnull=False).order_by("name"))
    plan = plan_with_lines(
        services=services,
        team=team,
        user=lead,
        name="Bench plan",
        lines=staffing_lines(roles, LINES),
        demand=demand_lines(10),
        horizon=10,
    )
    client = Client()
    client.force_login(lead)
    mark_verified(client, lead)
    url = reverse("planning:plan-edit", args=[plan.pk])

    page = client.get(url)
    html_bytes, gzipped = len(page.content), len(gzip.compress(page.content))
    opening = []

    def save(run: int) -> float:
        started = time.perf_counter()
        page = client.get(url)
        opening.append(time.perf_counter() - started)
        values = form_values(page, url)
        values["staffing-0-note"] = f"Run {run}"
        values["staffing-1-fte"] = str(1 + run % 3)
        gc.collect()
        started = time.perf_counter()
        response = client.post(url, urlencode(values), content_type=FORM_ENCODED)
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"The save was refused ({response.status_code}): {response.content[:500]!r}")
        return elapsed

    save(0)
    if os.environ.get("EDITOR_BENCH_PROFILE"):
        import cProfile
        import pstats

        values = form_values(client.get(url), url)
        values["staffing-0-note"] = "Profiled"
        profile = cProfile.Profile()
        profile.enable()
        client.post(url, urlencode(values), content_type=FORM_ENCODED)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        profile = cProfile.Profile()
        profile.enable()
        client.get(url)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
    runs = [save(run) for run in range(1, args.repeats + 1)]
    median = statistics.median(runs)
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, {args.repeats} runs")
    print(f"Editor of {LINES} lines: {html_bytes:,} bytes of HTML, {gzipped:,} gzipped")
    print(f"Opening it (GET): median {statistics.median(opening[1:]) * 1000:.0f} ms")
    print(f"Save (POST) of {LINES} lines: fastest {min(runs) * 1000:.0f} ms, median {median * 1000:.0f} ms")
    verdict = "under" if median < TARGET_SECONDS else "OVER"
    print(f"Median {median * 1000:.0f} ms: {verdict} the {TARGET_SECONDS:.0f} s target.")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
