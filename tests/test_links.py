"""Links are built from URL names (`{% url %}` in templates, `reverse` in Python), never written as paths, so a
URL can move without hunting for copies of it."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from planning.breadcrumbs import trail
from tests.factories import make_world

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
PYTHON = sorted(
    path
    for package in ("planning", "roles", "nwwmh_portal")
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts
)
LITERAL_LINK = re.compile(r"""(?:href|action|src)=["']/|\bwith action=["']/""")


def literal_links(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if LITERAL_LINK.search(line)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_templates_build_links_with_url_tags(path):
    lines = literal_links(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(ROOT)} writes a path instead of {{% url %}} on line(s) {lines}"


def test_the_template_check_catches_a_written_path():
    assert literal_links('<a href="/roles/">Roles</a>\n<form action="{% url \'roles:list\' %}">') == [1]
    assert literal_links('{% include "x.html" with action="/resources/" %}') == [1]


def resolvable_strings(source: str) -> list[tuple[int, str]]:
    """String constants that are paths of this site's pages."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("/"):
            try:
                resolve(node.value.split("?")[0])
            except Resolver404:
                continue
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", PYTHON, ids=lambda path: str(path.relative_to(ROOT)))
def test_python_builds_links_with_reverse(path):
    found = resolvable_strings(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} writes paths instead of reverse(): {found}"


def test_the_python_check_catches_a_written_path():
    assert resolvable_strings('crumbs = [("Home", "/"), ("Roles", "/roles/")]\nSTATIC = "/static/"\n') == [
        (1, "/"),
        (1, "/roles/"),
    ]


def test_a_plan_page_trail_leads_through_its_team(db):
    plan = make_world().plan
    assert trail() == [("Planning", "/planning/")]
    assert trail(plan.team) == [("Planning", "/planning/"), (plan.team.name, f"/planning/teams/{plan.team.pk}/")]
    assert trail(plan) == [
        ("Planning", "/planning/"),
        (plan.team.name, f"/planning/teams/{plan.team.pk}/"),
        (plan.name, f"/planning/plans/{plan.pk}/"),
    ]
