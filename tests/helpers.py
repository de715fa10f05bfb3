"""The one place tests read pages: the catalogue's result lists, facets and filters, the planning forms as a
browser would submit them, the browser tests' accessibility check, and the URL and code checks of the access
tests, and simultaneous saves. (Tests build their data with
`tests/factories.py`.)"""

import ast
import json
import os
import re
import secrets
import string
import threading
from collections.abc import Callable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from django.db import connections
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

# --- The catalogue ----------------------------------------------------------------------------------------------

TITLE_SUFFIX = "– NWWMH Portal"


def qs(**params) -> str:
    """A query string from keyword arguments; list values repeat the parameter."""
    return urlencode(params, doseq=True)


def query_dict(params: dict) -> QueryDict:
    return QueryDict(urlencode(params, doseq=True))


def text(response) -> str:
    return response.content.decode()


def page_title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", text(response), re.S)
    assert match, "page has no <title>"
    return unescape(match.group(1)).strip()


def result_count(response) -> int:
    """The number in the result count line of /roles/ (`<p id="result-count"><strong>N</strong> roles`)."""
    match = re.search(r'id="result-count"[^>]*><strong>(\d+)</strong>', text(response))
    assert match, "no result count on the page"
    return int(match.group(1))


def result_slugs(response) -> list[str]:
    """Slugs of the results listed on /roles/, in page order (from the compare checkboxes)."""
    return re.findall(r'id="compare-([^"]+)" name="roles" type="checkbox"', text(response))


def facet_options(response) -> dict[tuple[str, str], int]:
    """{(facet, value): count shown beside the option} for every facet option on /roles/."""
    html = text(response)
    found = {}
    for facet, value, count in re.findall(
        r'<label class="nhsuk-label [^"]*" for="([a-z_]+)-([^"]+)">[^<]*<span class="app-facet-count">\((\d+)', html
    ):
        found[(facet, unescape(value))] = int(count)
    return found


def checked_options(response) -> dict[str, list[str]]:
    """{facet: [checked values]} read from the filter form."""
    html = text(response)
    checked: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input class="nhsuk-(?:checkboxes|radios)__input" id="[^"]*" name="([a-z_]+)" '
        r'type="(?:checkbox|radio)" value="([^"]+)" checked>',
        html,
    ):
        checked.setdefault(name, []).append(unescape(value))
    return checked


def active_filter_links(response) -> dict[str, str]:
    """{label: remove link} of the active filters on /roles/."""
    html = text(response)
    block = re.search(r'<ul class="app-active-filters">(.*?)</ul>', html, re.S)
    if not block:
        return {}
    return {
        unescape(label).strip(): unescape(href)
        for href, label in re.findall(r'<li><a href="([^"]*)">(.*?) <span class="nhsuk-u-visually-hidden">', block[1])
    }


# --- The planning workspace ---------------------------------------------------------------------------------------


def plan_url(plan, suffix=""):
    return f"/planning/plans/{plan.pk}/{suffix}"


class FormReader(HTMLParser):
    """What a browser would submit from the page's form with `action` (or the first POST form in the page's
    content, after the header's log out form): the values
    of its inputs, checked boxes, selected options and text areas. Submit buttons are left out."""

    def __init__(self, action=None):
        super().__init__()
        self.action = action
        self.in_form = False
        self.done = False
        self.values = {}
        self.select = None
        self.select_first = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and attrs.get("method", "").lower() == "post":
            action = attrs.get("action")
            if (self.action is None and action != "/accounts/logout/") or action == self.action:
                self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "submit":
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
                return
            self.values[name] = attrs.get("value", "")
        elif tag == "select":
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.values[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self.select:
            self.values.setdefault(self.select, self.select_first or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data.removeprefix("\n") if not self.values[self.textarea] else data


def form_values(response, action=None) -> dict:
    reader = FormReader(action)
    reader.feed(response.content.decode())
    assert reader.values, "no POST form found on the page"
    return reader.values


def staffing_rows(values: dict) -> list[dict]:
    """The staffing rows in submitted form values, as dicts of field -> value."""
    total = int(values["staffing-TOTAL_FORMS"])
    rows = []
    for index in range(total):
        prefix = f"staffing-{index}-"
        rows.append({key.removeprefix(prefix): value for key, value in values.items() if key.startswith(prefix)})
    return rows


def row_index(values: dict, line_id) -> int:
    for index, row in enumerate(staffing_rows(values)):
        if row.get("line_id") == str(line_id):
            return index
    raise AssertionError(f"no row for line {line_id}")


def first_blank_row(values: dict) -> int:
    for index, row in enumerate(staffing_rows(values)):
        if not row.get("line_id") and not row.get("role"):
            return index
    raise AssertionError("no blank row")


def edit_url(plan):
    return f"/planning/plans/{plan.pk}/edit/"


def editor_values(client, plan) -> dict:
    response = client.get(edit_url(plan))
    assert response.status_code == 200
    return form_values(response, edit_url(plan))


def without_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def select_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(0))


# --- Accessibility, in the browser tests ---------------------------------------------------------------------------

AXE_JS = Path(__file__).resolve().parent / "e2e" / "vendor" / "axe-core" / "4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def inject_axe(page):
    """Puts axe-core into the page.

    The portal's CSP is `script-src 'self'`, so `page.add_script_tag()` (an inline <script>) is refused, and
    `bypass_csp=True` would switch the CSP off for the whole page, hiding exactly the violations the tests
    look for. Code run by `page.evaluate()` goes through the DevTools protocol, which the CSP does not
    govern, so we evaluate axe's source wrapped in a function: the page keeps its real CSP.
    """
    if page.evaluate("() => typeof window.axe === 'undefined'"):
        page.evaluate("() => {\n" + AXE_JS.read_text(encoding="utf-8") + "\n}")


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    target: {json.dumps(node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def record_csp_violations(page) -> list[str]:
    """Collects the console messages Chromium logs when the Content Security Policy blocks something."""
    messages = []
    page.on(
        "console", lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None
    )
    return messages


def assert_accessible(page):
    """Fails listing every axe violation of WCAG 2.2 A and AA (id, impact, help and target nodes).

    The page's context must have JavaScript on: in a context made with `java_script_enabled=False`, Chromium never
    answers `page.evaluate()`, so axe checks the page as it is with JavaScript on.
    """
    inject_axe(page)
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, f"{len(violations)} accessibility violation(s) on {page.url}:\n" + format_violations(
        violations
    )


# --- Admin change forms ----------------------------------------------------------------------------------------


SKIPPED_TYPES = {"submit", "button", "reset", "file", "image"}


class AdminFormReader(HTMLParser):
    """An admin change form as a browser would submit it, every field a list (multiple selects keep all values)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._select_values: list[str] = []
        self._textarea = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in SKIPPED_TYPES:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_values = name, []
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select_values.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            self.data[self._select] = self._select_values
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.data[self._textarea] = [text[1:] if text.startswith("\n") else text]
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def admin_form_values(response, model_name: str) -> dict[str, list[str]]:
    """The values the admin's `<model_name>_form` would post, as {name: [values]} (for `client.post`)."""
    assert response.status_code == 200, response.status_code
    reader = AdminFormReader(f"{model_name}_form")
    reader.feed(response.content.decode())
    assert reader.data, f"no {model_name}_form on the page"
    return reader.data


def admin_form_data(case_study, **changes):
    """What the case study admin form posts for `case_study`, with `changes`."""
    from roles.models import Role

    data = {
        "title": case_study.title,
        "slug": case_study.slug,
        "organisation": case_study.organisation,
        "roles": [role.pk for role in case_study.roles.all()] if case_study.pk else [Role.objects.first().pk],
        "setting": case_study.setting,
        "year": case_study.year or "",
        "summary": case_study.summary,
        "body": case_study.body,
        "people_quoted": case_study.people_quoted,
        "source_url": case_study.source_url,
        "source_title": case_study.source_title,
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        "transitions-MIN_NUM_FORMS": "0",
        "transitions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


# --- The API ---------------------------------------------------------------------------------------------------


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def all_results(client, url: str, **headers) -> list[dict]:
    """Every result of a paginated list, following `next` links."""
    results = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        results.extend(body["results"])
        url = body["next"]
    return results


# --- Pages' markup ----------------------------------------------------------------------------------------------


def error_summary(html: str) -> str:
    """The NHS.UK error summary of a page (it must have one)."""
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, re.S)
    assert match, "no NHS.UK error summary on the page"
    return match.group(0)


def assert_csp_safe(html: str):
    """No inline script or style, no style attributes and no inline event handlers (the CSP forbids them)."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


# --- Access checks ---------------------------------------------------------------------------------------------

MANAGERS = {"objects", "_default_manager", "_base_manager"}


def url_patterns(namespace: str) -> Iterator[URLPattern]:
    """Every URL pattern in a namespace, however deeply its URLs are included."""
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            stack = list(pattern.url_patterns)
            while stack:
                inner = stack.pop()
                if isinstance(inner, URLResolver):
                    stack.extend(inner.url_patterns)
                elif isinstance(inner, URLPattern):
                    yield inner


def assert_matrix_names_every_url(matrix: dict, namespace: str) -> None:
    """An access matrix has a row for every URL in the namespace, and none for a URL that has gone."""
    names = {pattern.name for pattern in url_patterns(namespace)}
    assert names, f"no {namespace} URLs found"
    assert None not in names, f"every {namespace} URL needs a name (the matrix goes by name)"
    assert names - set(matrix) == set(), f"{namespace} URLs missing from the access matrix: add a row for each"
    assert set(matrix) - names == set(), "the access matrix names URLs that no longer exist"


def manager_uses(source: str) -> list[int]:
    """The lines of a module's source that reach a model manager: `.objects`, or the default manager by another
    name."""
    return sorted(
        {
            node.lineno
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in MANAGERS
        }
    )


# --- Concurrency (PostgreSQL) ----------------------------------------------------------------------------------

THREADS = 20


def one_of_simultaneous_saves_wins(
    save: Callable[[int, Callable[[], None]], None], *, conflict: type[Exception]
) -> int:
    """Run `save(index, ready)` in THREADS threads at once: each reads what it will save, calls `ready()` to wait
    for the others, then saves. Exactly one must save and every other one get `conflict`; returns the winner."""
    barrier = threading.Barrier(THREADS)
    outcomes: dict[int, str] = {}

    def run(index: int) -> None:
        try:
            save(index, lambda: barrier.wait(timeout=30))
            outcomes[index] = "saved"
        except conflict:
            outcomes[index] = "conflict"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = f"error: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == THREADS, outcomes
    assert sorted(outcomes.values()) == ["conflict"] * (THREADS - 1) + ["saved"], outcomes
    (winner,) = [index for index, outcome in outcomes.items() if outcome == "saved"]
    return winner


# --- The settings module in a fresh process ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
HOST = "portal.example.nhs.uk"


def production_env(**overrides) -> dict[str, str]:
    """The current environment without any DJANGO_* or NWWMH_* variable (DATABASE_URL and PATH are kept)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NWWMH_"))}
    env.update({key: value for key, value in overrides.items() if value is not None})
    return env


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))
