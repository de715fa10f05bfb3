"""The staffing grid's rows as HTML, written in Python: a 200-line plan has about 3,000 cells, and rendering each
through a template (and each input through Django's widget templates) took seconds. The markup is the NHS.UK table
pattern: a row header naming the line, and in each cell a visually hidden label ("FTE in post, line 3"), the
cell's error (linked from the error summary and by aria-describedby) and its input or select."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from planning.conflicts import DELETE


def _input(bound, input_type: str) -> SafeString:
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({**widget.attrs, "id": bound.auto_id})
    value = widget.format_value(bound.value())
    value_attr = format_html(' value="{}"', value) if value not in (None, "") else ""
    return format_html('<input type="{}" name="{}"{}{}>', input_type, bound.html_name, value_attr, flatatt(attrs))


def _widget(bound) -> SafeString:
    widget = bound.field.widget
    if isinstance(widget, forms.Select):
        return bound.as_widget()  # FastSelect: rendered in Python already
    return _input(bound, "text")


def _cell(bound, number) -> SafeString:
    error = ""
    css = "nhsuk-table__cell app-grid__cell"
    if bound.errors:
        css += " app-grid__cell--error"
        error = format_html(
            '<span class="nhsuk-error-message app-grid__error" id="{}_error">'
            '<span class="nhsuk-u-visually-hidden">Error:</span> {}</span>',
            bound.auto_id,
            " ".join(bound.errors),
        )
    return format_html(
        '<td class="{}" data-column="{}"><label class="nhsuk-u-visually-hidden" for="{}" data-grid-label="{}">'
        "{}, line {}</label>{}{}</td>",
        css,
        bound.name,
        bound.auto_id,
        bound.label,
        bound.label,
        number,
        error,
        _widget(bound),
    )


def _actions(form, index, number, existing: bool) -> SafeString:
    line = format_html('<span class="nhsuk-u-visually-hidden" data-grid-action-line> line {}</span>', number)
    copy = format_html(
        '<button class="app-grid__button" type="submit" name="copy_row" value="{}" data-grid-copy>Copy{}</button>',
        index,
        line,
    )
    if existing:
        bound = form[DELETE]
        checked = " checked" if bound.value() else ""
        other = format_html(
            '<span class="app-grid__remove"><input type="checkbox" name="{}" id="{}" class="app-grid__checkbox"{}>'
            '<label for="{}">Remove{}</label></span>',
            bound.html_name,
            bound.auto_id,
            mark_safe(checked),  # noqa: S308 (a fixed string)
            bound.auto_id,
            line,
        )
    else:
        other = format_html(
            '<button class="app-grid__button" type="submit" name="delete_row" value="{}" data-grid-delete>'
            "Delete{}</button>",
            index,
            line,
        )
    return format_html('<td class="nhsuk-table__cell app-grid__actions">{}{}</td>', copy, other)


def grid_row(form, number, existing: bool) -> SafeString:
    """One staffing line of the grid: `number` is its line number (the template row's is "__line__")."""
    index = number - 1 if isinstance(number, int) else ""
    cells = format_html_join("", "{}", ((_cell(form[name], number),) for name in form.column_names()))
    new = "" if existing else mark_safe('<span class="app-grid__new"> (new)</span>')  # noqa: S308 (a fixed string)
    return format_html(
        '<tr class="nhsuk-table__row app-grid__row" data-grid-row>'
        '<th scope="row" class="nhsuk-table__header app-grid__line"><span data-grid-line>Line {}</span>{}{}</th>'
        "{}{}</tr>",
        number,
        new,
        _input(form["line_id"], "hidden"),
        cells,
        _actions(form, index, number, existing),
    )
