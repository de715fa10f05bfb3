"""Every ARIA role a template or script gives an element is a role WAI-ARIA 1.2 defines: an invented one (such as
`role="text"`, which some older NHS.UK examples used) is an HTML validation error and means nothing to assistive
technology."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLE = re.compile(r"""role=["']([^"'{}]+)["']""")
# The non-abstract roles of WAI-ARIA 1.2 (https://www.w3.org/TR/wai-aria-1.2/#role_definitions).
ARIA_ROLES = {
    "alert",
    "alertdialog",
    "application",
    "article",
    "banner",
    "blockquote",
    "button",
    "caption",
    "cell",
    "checkbox",
    "code",
    "columnheader",
    "combobox",
    "comment",
    "complementary",
    "contentinfo",
    "definition",
    "deletion",
    "dialog",
    "directory",
    "document",
    "emphasis",
    "feed",
    "figure",
    "form",
    "generic",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "insertion",
    "link",
    "list",
    "listbox",
    "listitem",
    "log",
    "main",
    "marquee",
    "math",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "navigation",
    "none",
    "note",
    "option",
    "paragraph",
    "presentation",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "scrollbar",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "strong",
    "subscript",
    "superscript",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "term",
    "textbox",
    "time",
    "timer",
    "toolbar",
    "tooltip",
    "tree",
    "treegrid",
    "treeitem",
}


def roles_used() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for pattern in ("templates/**/*.html", "static/js/**/*.js", "planning/**/*.py", "roles/**/*.py"):
        for path in ROOT.glob(pattern):
            for match in ROLE.finditer(path.read_text(encoding="utf-8")):
                for role in match.group(1).split():
                    found.setdefault(role, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_aria_role_is_a_real_one():
    invented = {role: sorted(paths) for role, paths in roles_used().items() if role not in ARIA_ROLES}
    assert invented == {}


def test_the_check_finds_roles():
    used = roles_used()
    assert {"region", "alert", "status"} <= set(used)  # the pattern reads the roles the pages really use
