"""The guards that keep the project's shape: the import contracts cover every view module, and a plain `pytest`
(as an IDE runs it) needs no environment variables."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(item for item in config["contracts"] if item["id"] == contract_id)


def view_modules() -> set[str]:
    """Every planning module or package whose name says it holds views (`views.py`, `*_views.py`, `views_*`)."""
    names = {path.stem for path in (ROOT / "planning").glob("*views*.py")}
    names |= {path.name for path in (ROOT / "planning").glob("*views*") if (path / "__init__.py").is_file()}
    return {f"planning.{name}" for name in names}


def test_there_are_view_modules_to_check():
    assert len(view_modules()) >= 2


def test_every_view_module_is_in_the_independence_contract():
    """A new view module must be added to the contract, or it could import another view module unnoticed."""
    assert set(contract("views-independent")["modules"]) == view_modules()


def test_plain_pytest_needs_no_environment_variables():
    """Without NWWMH_LOCAL (or any DJANGO_* variable) pytest still loads the settings and collects the tests."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NWWMH_"))}
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/roles/test_content_pages.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # `-q` twice (here and in addopts): one "path: count" line per file.
    path, count = result.stdout.split()[:2]
    assert path == "tests/roles/test_content_pages.py:" and int(count) > 0
