"""Building blocks of the planning forms: the NHS.UK classes on widgets, a fast select for long role lists, and
number fields whose labels, hints, limits and messages come from the model field (`planning.fields`).

Number fields read numbers as people type them: "150,000" (thousands separators), " 37.5 ", and "10%" in a
percentage field; large whole numbers (population, caseload) are shown with thousands separators."""

import copy
import re
from decimal import Decimal

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from planning import fields
from planning.formatting import plain


class NHSFormMixin:
    """Adds the NHS.UK classes to widgets, and their error modifier once a field has an error.

    Django links hints (`<id>_helptext`) and errors (`<id>_error`) to the field with aria-describedby;
    `templates/planning/includes/field.html` renders them with those ids.
    """

    widths: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            widget = form_field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "nhsuk-checkboxes__input"
            elif isinstance(widget, forms.Select):
                css = "nhsuk-select"
            elif isinstance(widget, forms.Textarea):
                css = "nhsuk-textarea"
            else:
                css = "nhsuk-input"
                if name in self.widths:
                    css += f" nhsuk-input--width-{self.widths[name]}"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "").split(" ")[0]
                if base in {"nhsuk-input", "nhsuk-select", "nhsuk-textarea"}:
                    widget.attrs["class"] += f" {base}--error"


class FastSelect(forms.Select):
    """A select rendered in Python rather than through a template for every option: the plan editor has about
    45 options a staffing row, and a hundred rows. Same markup as Django's Select (optgroups included). Copied for
    each form without normalising its choices again (they are replaced, never changed in place)."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied

    def render(self, name, value, attrs=None, renderer=None):
        context_attrs = self.build_attrs(self.attrs, attrs)
        context_attrs["name"] = name
        chosen = {str(item) for item in self.format_value(value)}
        parts = [format_html("<select{}>", flatatt(context_attrs))]
        for option_value, html in _escaped_options(self.choices):
            if option_value is not None and option_value in chosen:
                html = html.replace('">', '" selected>', 1)
            parts.append(html)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


# The escaped options of the last few choice lists rendered, by the list's id (the list kept with them, so that a
# new list that reuses a freed id is never matched): the editor's 200 role selects share one list of 45 roles.
_OPTIONS_CACHE: dict[int, tuple[list, list]] = {}


def _escaped_options(choices) -> list[tuple[str | None, str]]:
    """(value, HTML) for each option and optgroup tag of `choices` (value None for the group tags)."""
    cached = _OPTIONS_CACHE.get(id(choices))
    if cached is not None and cached[0] is choices:
        return cached[1]

    def option(option_value, label):
        option_value = "" if option_value is None else str(option_value)
        return option_value, format_html('<option value="{}">{}</option>', option_value, label)

    rendered = []
    for group_value, group_label in choices:
        if isinstance(group_label, (list, tuple)):
            rendered.append((None, format_html('<optgroup label="{}">', group_value)))
            rendered.extend(option(item_value, item_label) for item_value, item_label in group_label)
            rendered.append((None, "</optgroup>"))
        else:
            rendered.append(option(group_value, group_label))
    if isinstance(choices, list):
        if len(_OPTIONS_CACHE) > 16:
            _OPTIONS_CACHE.clear()
        _OPTIONS_CACHE[id(choices)] = (choices, rendered)
    return rendered


# "150,000", "1,234.5": commas only where they separate thousands ("1,5" stays refused, not read as 15).
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
GROUP_FROM = 10_000  # whole numbers that can reach this are shown with thousands separators


def typed_number(value, *, percent: bool = False):
    """A number as typed, made readable by Django's number fields: surrounding spaces, thousands separators and,
    in a percentage field, a trailing "%" removed. Anything else is left as it is (and refused by the field)."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace("\u00a0", "").replace("\u202f", "")
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    return text


class NumberInput(forms.TextInput):
    """A text input for a number (so "150,000" and "10%" can be typed), showing a saved whole number with
    thousands separators when `grouped`. What a user typed is shown back exactly as typed."""

    def __init__(self, attrs=None, *, grouped: bool = False):
        super().__init__(attrs)
        self.grouped = grouped

    def format_value(self, value):
        if self.grouped and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return f"{value:,}"
        return super().format_value(value)


class TypedDecimalField(forms.DecimalField):
    def __init__(self, *, percent: bool = False, **kwargs):
        self.percent = percent
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(typed_number(value, percent=self.percent))


class TypedIntegerField(forms.IntegerField):
    def __init__(self, *, percent: bool = False, **kwargs):
        self.percent = percent
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(typed_number(value, percent=self.percent))


def number_field(
    label: str,
    name: str,
    *,
    min_value,
    max_value,
    decimal_places: int = 2,
    required: bool = True,
    help_text: str = "",
    integer: bool = False,
    initial=None,
    percent: bool = False,
):
    """A number field whose messages say what to do: "FTE in post must be 999.99 or less". It accepts "150,000";
    a `percent` field accepts "10%" too."""
    messages = {
        "required": f"Enter the {name if name[:3].isupper() else name[0].lower() + name[1:]}",
        "invalid": f"{name} must be a {'whole number' if integer else 'number'}",
        "min_value": f"{name} must be %(limit_value)s or more",
        "max_value": f"{name} must be %(limit_value)s or less",
        "max_decimal_places": f"{name} must have no more than {decimal_places} decimal places",
    }
    common = {
        "label": label,
        "required": required,
        "min_value": min_value,
        "max_value": max_value,
        "help_text": help_text,
        "error_messages": messages,
        "initial": initial,
    }
    if integer:
        grouped = max_value is not None and max_value >= GROUP_FROM
        widget = NumberInput(attrs={"inputmode": "numeric"}, grouped=grouped)
        return TypedIntegerField(**common, percent=percent, widget=widget)
    return TypedDecimalField(
        **common,
        percent=percent,
        decimal_places=decimal_places,
        widget=NumberInput(attrs={"inputmode": "text" if percent else "decimal"}),
    )


def model_number_field(
    model, name: str, *, required: bool | None = None, with_default: bool = False, help_text: str | None = None
):
    """A number field for a model field: its label, hint and limits from the model (a `_pct` field accepts "10%").
    `with_default` starts it at the model's default and ends the hint with it ("Default 37.5"); `required`
    overrides the model's; `help_text` replaces the model's hint."""
    limits = fields.limits(model, name)
    hint = fields.help_text(model, name) if help_text is None else help_text
    initial = fields.default(model, name) if with_default else None
    if initial is not None:
        hint = f"{hint}. Default {plain(initial)}"
    return number_field(
        fields.label(model, name),
        fields.message_name(model, name),
        min_value=limits.minimum,
        max_value=limits.maximum,
        decimal_places=limits.places or 2,
        integer=limits.integer,
        required=limits.required if required is None else required,
        help_text=hint,
        initial=initial,
        percent=name.endswith("_pct"),
    )
