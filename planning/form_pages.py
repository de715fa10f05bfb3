"""What every planning page with a form needs: the posted data, and the error summary's links."""


def posted(request):
    """The POST data to bind a form to, or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def field_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for the error summary; a form-wide error links to the first field."""
    pairs = []
    for name, errors in form.errors.items():
        target = form[name].auto_id if name in form.fields else form[next(iter(form.fields))].auto_id
        pairs.extend((target, message) for message in errors)
    return pairs
