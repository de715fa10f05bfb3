"""Every template block does something: a block in a template that others extend is overridden by one of them,
and a block in a page overrides one of its parent's. A block nothing overrides is noise to a reader."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "templates"
BLOCK = re.compile(r"{%-?\s*block\s+([\w-]+)")
EXTENDS = re.compile(r"""{%-?\s*extends\s+["']([^"']+)["']""")


def read_templates(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): path.read_text(encoding="utf-8") for path in root.rglob("*.html")}


def idle_blocks(templates: dict[str, str]) -> list[str]:
    parents = {name: match.group(1) for name, text in templates.items() if (match := EXTENDS.search(text))}
    blocks = {name: set(BLOCK.findall(text)) for name, text in templates.items()}
    idle = []
    for name, names in blocks.items():
        children = [child for child, parent in parents.items() if parent == name]
        parent = parents.get(name)
        for block in sorted(names):
            overridden = any(block in blocks[child] for child in children)
            # A parent outside this folder (Django's admin) is taken on trust.
            overrides = parent is not None and (
                parent not in templates or _defined_above(block, parent, parents, blocks)
            )
            if not (overridden or overrides):
                idle.append(f"{name}: {block}")
    return idle


def _defined_above(block: str, name: str | None, parents: dict, blocks: dict) -> bool:
    while name is not None and name in blocks:
        if block in blocks[name]:
            return True
        name = parents.get(name)
    return False


def test_every_block_is_overridden_or_overrides():
    assert idle_blocks(read_templates(ROOT)) == []


def test_the_check_finds_an_idle_block():
    templates = {
        "base.html": "{% block title %}{% endblock %}{% block unused %}{% endblock %}",
        "page.html": '{% extends "base.html" %}{% block title %}A page{% endblock %}{% block section %}x{% endblock %}',
    }
    assert idle_blocks(templates) == ["base.html: unused", "page.html: section"]
