"""Timings for the bulk downloads of the whole catalogue (`roles/api/bulk.py`). Not a test: run it by hand.

    .venv/bin/python bench/bulk_bench.py               # 7 timed runs a case
    .venv/bin/python bench/bulk_bench.py --repeats 9

It makes a throwaway SQLite database in a temporary folder, migrates it, loads the reference data, and times
building each download (reading every table, then writing the file) with the reference catalogue and again with
ten times the catalogue (the generator the query-count tests use). Each case runs once to warm up, then
`--repeats` times with a `gc.collect()` before each run; the table shows the fastest and the median run.
"""

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 1.0


def timed(function, repeats: int) -> list[float]:
    function()
    runs = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="nwwmh-bulk-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("NWWMH_LOCAL", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwwmh_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fixtures = sorted(str(path) for path in (ROOT / "fixtures" / "reference").glob("*.yaml"))
    call_command("loaddata", *fixtures, verbosity=0)

    from roles.api import bulk
    from roles.models import Role
    from tests.roles.test_query_counts import make_ten_times_the_catalogue

    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, {args.repeats} runs")
    print(f"{'catalogue':<22} {'format':<6} {'bytes':>9} {'min':>9} {'median':>9}")
    worst = 0.0
    for label, grow in (("reference", None), ("10x", make_ten_times_the_catalogue)):
        if grow:
            grow()
        label = f"{label} ({Role.objects.count()} roles)"
        for extension in bulk.FORMATS:
            # Uncached: read every table and write the file (`bulk.build` would serve repeats from the cache).
            def build(extension=extension):
                return bulk.BUILDERS[extension](bulk.catalogue())

            size = len(build())
            runs = timed(build, args.repeats)
            median = statistics.median(runs)
            worst = max(worst, median)
            print(f"{label:<22} {extension:<6} {size:>9} {min(runs) * 1000:>7.1f}ms {median * 1000:>7.1f}ms")
        cached = timed(lambda: bulk.build(extension="xlsx"), args.repeats)  # a repeat download: read, then cache hit
        fastest, median = min(cached) * 1000, statistics.median(cached) * 1000
        print(f"{label:<22} {'xlsx, cached':<16} {fastest:>7.1f}ms {median:>7.1f}ms")
    verdict = "under" if worst < TARGET_SECONDS else "OVER"
    print(f"Slowest median {worst * 1000:.0f} ms: {verdict} the {TARGET_SECONDS:.0f} s target.")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
