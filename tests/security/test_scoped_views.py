"""The planning workspace's access rules, checked on the code itself.

1. Views never query a model directly: every `planning/*views*.py` module reaches planning data only through
   `planning.selectors`, which scopes each query to the user's memberships. Any `.objects` (a model manager)
   in a views module fails this test.
2. Every view is behind `login_required`: each public function in those modules that takes a request, and
   every callable behind a `planning:` URL, is wrapped by it, and answers an anonymous GET and POST with the
   login page before doing anything else (no database query, no method check).
"""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted((ROOT / "planning").glob("*views*.py"))


def test_there_are_view_modules_to_check():
    names = {path.name for path in VIEW_MODULES}
    assert {"views.py", "exchange_views.py", "comparison_views.py"} <= names


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: path.name)
def test_views_never_use_model_managers(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    managers = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "objects"]
    assert not managers, (
        f"planning/{path.name} uses a model manager (.objects) on line(s) {managers}: "
        "read planning data through planning.selectors, which scope it to the user's organisations"
    )
    # Nor through the default manager by another name.
    sneaky = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"_default_manager", "_base_manager"}
    ]
    assert not sneaky, f"planning/{path.name} uses a model's default manager on line(s) {sneaky}"


def test_the_rule_catches_a_manager():
    """The check above is not vacuous."""
    tree = ast.parse("def view(request):\n    return Plan.objects.all()\n")
    assert any(isinstance(node, ast.Attribute) and node.attr == "objects" for node in ast.walk(tree))


def is_login_required(view) -> bool:
    """Wrapped by `login_required` (Django's `user_passes_test(lambda u: u.is_authenticated)`), which leaves
    `login_url` and `redirect_field_name` on the wrapper."""
    return "redirect_field_name" in vars(view) and "login_url" in vars(view)


def module_views():
    for path in VIEW_MODULES:
        module = importlib.import_module(f"planning.{path.stem}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(obj).parameters)
            if parameters[:1] == ["request"]:
                yield f"{path.stem}.{name}", obj


MODULE_VIEWS = list(module_views())


def test_every_view_function_is_found():
    names = {name for name, _ in MODULE_VIEWS}
    assert {"views.home", "views.plan_edit", "exchange_views.apply_import", "comparison_views.plan_compare"} <= names


@pytest.mark.parametrize(("name", "view"), MODULE_VIEWS, ids=[name for name, _ in MODULE_VIEWS])
def test_every_view_function_requires_login(name, view):
    assert is_login_required(view), f"{name} is not wrapped by login_required"


def planning_patterns():
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "planning":
            stack = list(pattern.url_patterns)
            while stack:
                inner = stack.pop()
                if isinstance(inner, URLResolver):
                    stack.extend(inner.url_patterns)
                elif isinstance(inner, URLPattern):
                    yield inner


PATTERNS = sorted(planning_patterns(), key=lambda pattern: pattern.name or "")


@pytest.mark.parametrize("pattern", PATTERNS, ids=[pattern.name for pattern in PATTERNS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_planning_url_sends_anonymous_users_to_log_in_first(pattern, method):
    """Called directly, with no session, and no database (this test has no `db` fixture, so pytest-django makes any
    query an error): the login check comes before anything else."""
    callback = pattern.callback
    assert is_login_required(callback), f"planning:{pattern.name} is not behind login_required"
    kwargs = dict.fromkeys(pattern.pattern.converters, 999999)
    request = getattr(RequestFactory(), method)("/planning/somewhere/")
    request.user = AnonymousUser()
    request.session = SessionBase()
    response = callback(request, **kwargs)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
