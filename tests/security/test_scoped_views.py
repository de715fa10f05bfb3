"""The planning workspace's access rules, checked on the code itself.

1. Views never query a model directly: every `planning/*views*.py` module reaches planning data only through
   `planning.selectors`, which scopes each query to the user's memberships. Any `.objects` (a model manager)
   in a views module fails this test.
2. Every view is behind `login_required`: each public function in those modules that takes a request, and
   every callable behind a `planning:` URL, is wrapped by it, and answers an anonymous GET and POST with the
   login page before doing anything else (no database query, no method check).
3. View modules never import each other: the access decorators live in `planning.access`. Nor do they decide
   themselves that a plan is agreed: they ask `plan.is_locked`.
"""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory

from tests.helpers import manager_uses, url_patterns

ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted((ROOT / "planning").glob("*views*.py"))


def test_there_are_view_modules_to_check():
    names = {path.name for path in VIEW_MODULES}
    assert {"team_views.py", "plan_views.py", "exchange_views.py", "comparison_views.py", "results_views.py"} <= names


def imported_modules(tree: ast.Module) -> set[str]:
    """Every module a parsed file imports: `import a.b`, `from a.b import c` (as a.b and a.b.c)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: path.name)
def test_view_modules_never_import_each_other(path):
    """Shared view machinery (access decorators, breadcrumbs, form helpers) lives in modules that are not views,
    so that a view module can change without breaking another."""
    imported = imported_modules(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    views = {f"planning.{other.stem}" for other in VIEW_MODULES} | {"planning.views"}
    assert not imported & views, f"planning/{path.name} imports {sorted(imported & views)}"
    assert "planning.access.workspace_view" in imported, f"planning/{path.name} must use planning.access"


def test_the_import_check_sees_both_import_forms():
    tree = ast.parse("import planning.plan_views\nfrom planning.team_views import home\nfrom planning import x\n")
    assert {"planning.plan_views", "planning.team_views", "planning.x"} <= imported_modules(tree)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: path.name)
def test_views_leave_the_agreed_plan_rule_to_the_model_and_services(path):
    """ "An agreed plan is read only" is decided in one place (`Plan.is_locked`, enforced by planning.services):
    views ask `plan.is_locked` and never compare a plan's status with "agreed" themselves."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    agreed = [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "AGREED")
        or (isinstance(node, ast.Constant) and node.value == "agreed")
    ]
    assert not agreed, f"planning/{path.name} checks for an agreed plan itself on line(s) {agreed}"


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: path.name)
def test_views_never_use_model_managers(path):
    managers = manager_uses(path.read_text(encoding="utf-8"))
    assert not managers, (
        f"planning/{path.name} uses a model manager on line(s) {managers}: "
        "read planning data through planning.selectors, which scope it to the user's organisations"
    )


def test_the_manager_check_catches_every_way_to_a_manager():
    """The check above is not vacuous: it finds a manager however it is reached, and nothing in a clean view."""
    view = "def view(request, pk):\n    plan = selectors.plan_for(request.user, pk)\n    return render(request, plan)\n"
    assert manager_uses(view) == []
    assert manager_uses(view + "\nrows = Plan.objects.all()\n") == [5]
    assert manager_uses(view + "\nrows = Plan._default_manager.filter(pk=1)\n") == [5]
    assert manager_uses(view + "\nmanager = Team._base_manager\nrows = plan.team.objects\n") == [5, 6]


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
    assert {
        "team_views.home",
        "editor_views.plan_edit",
        "exchange_views.apply_import",
        "comparison_views.plan_compare",
        "results_views.results_json",
    } <= names


@pytest.mark.parametrize(("name", "view"), MODULE_VIEWS, ids=[name for name, _ in MODULE_VIEWS])
def test_every_view_function_requires_login(name, view):
    assert is_login_required(view), f"{name} is not wrapped by login_required"


PATTERNS = sorted(url_patterns("planning"), key=lambda pattern: pattern.name or "")


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
