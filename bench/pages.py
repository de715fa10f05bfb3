#!/usr/bin/env python3
"""Side-by-side page benchmark: every public page and the plan pages against an empty Django view, on one server.

    .venv/bin/python bench/pages.py                 # the whole run (about 3 minutes)
    .venv/bin/python bench/pages.py --duration 5    # shorter runs per page

What it does (see bench/README.md): makes a fresh SQLite database in a temporary folder, migrates it, loads the
reference and demo data and the benchmark's own data (`bench/data.py`: a 200-line plan and a 50-team organisation),
collects the static files, starts gunicorn (2 sync workers, debug off) with `bench.settings` (the portal's settings
plus an empty view), logs in as the demo lead over HTTP for the plan pages, and runs
`wrk -t2 -c20 -d10s` against 127.0.0.1 for each page, one after the other. It prints each page's requests a
second, its ratio to the empty view, the goal, and the size of its HTML before and after gzip.

Needs `wrk` (Debian: `apt-get install wrk`; the script stops and says so when it is missing).
"""

import argparse
import base64
import gzip
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LEAD = "demo-lead-1"
MAX_GZIP_KB = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare(env, folder: Path) -> dict:
    manage(env, "migrate", "--no-input")
    manage(env, "load_reference_data")
    manage(env, "load_demo_data", "--password-file", str(folder / "demo-password"))
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    made = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench.data", LEAD], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    ids = json.loads(made.stdout.strip().splitlines()[-1])
    script = (
        "from roles.models import CaseStudy, Role, RoleFamily, Capability;"
        "import json;"
        "roles = list(Role.objects.order_by('name').values_list('slug', flat=True)[:3]);"
        "print(json.dumps({'roles': roles,"
        " 'family': RoleFamily.objects.order_by('order').values_list('slug', flat=True)[0],"
        " 'capability': Capability.objects.order_by('name').values_list('slug', flat=True)[0],"
        " 'case_study': CaseStudy.objects.published().order_by('title').values_list('slug', flat=True)[0]}))"
    )
    ids.update(json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1]))
    return ids


def start_server(env, port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "nwwmh_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _form_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _app_code(secret_key_text: str) -> str:
    """The code an authenticator app set up with this secret (as the setup page shows it) would show now."""
    from django_otp.oath import totp  # plain RFC 6238, no Django settings needed

    key = secret_key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key)):06d}"


def log_in(base: str, password: str) -> str:
    """The session cookie of the demo lead, logged in through the login form like a browser, then through two-step
    verification: a workforce lead must set up an authenticator app, so the script reads the secret the setup page
    shows and enters the code it gives. Stops when the workspace still does not open (the plan pages would
    otherwise measure a redirect)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()  # noqa: S310
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": _form_token(page), "username": LEAD, "password": password})
    request = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Referer": f"{base}/"})  # noqa: S310
    with opener.open(request) as response:  # noqa: S310
        step_url, page = response.geturl(), response.read().decode()
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page)
    if secret:
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": _form_token(page), "code": _app_code(secret.group(1))})
        request = urllib.request.Request(step_url, data=form.encode(), headers={"Referer": step_url})  # noqa: S310
        opener.open(request).read()  # noqa: S310
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("Could not log in as the demo lead")
    cookie = f"sessionid={cookies['sessionid']}; csrftoken={cookies.get('csrftoken', '')}"
    workspace = urllib.request.Request(f"{base}/planning/", headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.build_opener(NoRedirect).open(workspace) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"The demo lead's workspace answered {response.status}, not 200: not logged in")
    return cookie


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # a redirect or an error: shown in the table, not followed
        return error.code, error.read()


def run_wrk(url: str, cookie: str | None, duration: int) -> tuple[float, int]:
    command = ["wrk", "-t2", "-c20", f"-d{duration}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603
        [*command, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def pages(ids: dict) -> list[tuple[str, str, bool, float | None]]:
    """(name, path, logged in, goal as a ratio to the empty view)."""
    a, b, _ = ids["roles"]
    return [
        ("empty Django view", "/bench/empty/", False, None),
        ("home", "/", False, 0.5),
        ("roles list", "/roles/", False, 0.5),
        ("roles search", "/roles/?q=nurse", False, 0.5),
        ("roles filtered", f"/roles/?family={ids['family']}&capability={ids['capability']}", False, 0.5),
        ("role profile", f"/roles/{a}/", False, 0.5),
        ("compare", f"/roles/compare/?roles={a},{b}", False, 0.5),
        ("case studies", "/case-studies/", False, 0.5),
        ("case study", f"/case-studies/{ids['case_study']}/", False, 0.5),
        ("resources", "/resources/", False, 0.5),
        ("plan dashboard (200 lines)", f"/planning/plans/{ids['plan']}/", True, 0.1),
        ("results.json (200 lines)", f"/planning/plans/{ids['plan']}/results.json", True, 0.1),
        ("roll-up (50 teams)", f"/planning/organisations/{ids['organisation']}/", True, 0.05),
        ("plan editor (200 lines)", f"/planning/plans/{ids['plan']}/edit/", True, None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: install it with `apt-get install wrk` (Debian), then run this again.")

    folder = Path(tempfile.mkdtemp(prefix="nwwmh-bench-"))
    password = "bench-" + os.urandom(12).hex()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "NWWMH_LOCAL": "1",  # plain HTTP on 127.0.0.1 and a generated secret key, as `make run`
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "NWWMH_CACHE_DIR": str(folder / "cache"),
        "DEMO_PASSWORD": password,
        "AXES_FAILURE_LIMIT": "1000",
    }
    print(f"Preparing a fresh database in {folder} ...", flush=True)
    ids = prepare(env, folder)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port)
    try:
        cookie = log_in(base, password)
        measured = []
        for name, path, logged_in, goal in pages(ids):
            jar = cookie if logged_in else None
            status, body = fetch(base + path, jar)
            fetch(base + path, jar)  # warm
            rate, errors = run_wrk(base + path, jar, options.duration)
            measured.append((name, status, rate, goal, body, errors))
            print(f"  {name}: {rate:,.0f} req/s", flush=True)
        # The empty view again at the end: each page's ratio is to the mean of the two, so that a burst of load
        # on the shared machine during either one moves the ratios less.
        empty_path = pages(ids)[0][1]
        fetch(base + empty_path, None)  # waits for the workers to finish the last page's queued requests
        empty_again, _ = run_wrk(base + empty_path, None, options.duration)
        print(f"  empty Django view, again: {empty_again:,.0f} req/s", flush=True)
        empty_rate = (measured[0][2] + empty_again) / 2
        rows = []
        for name, status, rate, goal, body, errors in measured:
            ratio = rate / empty_rate
            met = "" if goal is None else ("met" if ratio >= goal else "MISSED")
            zipped = len(gzip.compress(body)) / 1024
            rows.append((name, status, rate, ratio, goal, met, len(body) / 1024, zipped, errors))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)

    print()
    machine = f"{platform.node()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, Python {platform.python_version()}, ", end="")
    print(
        f"wrk -t2 -c20 -d{options.duration}s; empty view first and last: {measured[0][2]:,.0f} and "
        f"{empty_again:,.0f} req/s (ratios are to their mean)"
    )
    print(f"| page | status | requests/s | × empty view | goal | | HTML KB | gzip KB (≤ {MAX_GZIP_KB}) | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, status, rate, ratio, goal, met, size, zipped, errors in rows:
        goal_text = f"≥ {goal}" if goal else ""
        size_flag = "" if zipped <= MAX_GZIP_KB else " TOO BIG"
        print(
            f"| {name} | {status} | {rate:,.0f} | {ratio:.3f} | {goal_text} | {met} | {size:.0f} | "
            f"{zipped:.1f}{size_flag} | {errors} |"
        )


if __name__ == "__main__":
    main()
