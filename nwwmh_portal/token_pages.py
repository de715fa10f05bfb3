"""Pages where a workforce lead makes, lists and revokes personal access tokens for the API (/account/tokens/).

A token is shown once, on the page that follows its making (never stored, never shown again). Only leads of an
organisation can make one; anyone signed in can see and revoke their own. Someone else's token is a 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from nwwmh_portal import tokens
from nwwmh_portal.models import AccessToken
from planning import selectors

NOT_A_LEAD = "Only workforce leads of an organisation can create API tokens."


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, 'Power BI workforce report'. This helps you tell your tokens apart.",
        max_length=100,
        error_messages={
            "required": "Enter what the token is for",
            "max_length": "What the token is for must be 100 characters or fewer",
        },
    )
    lifetime_days = forms.TypedChoiceField(
        label="How long should it last?",
        choices=[(days, f"{days} days") for days in tokens.LIFETIMES_DAYS],
        coerce=int,
        initial=90,
        error_messages={"required": "Choose how long the token should last"},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter what the token is for")
        return name


def _crumbs() -> list[tuple[str, str]]:
    return [("Home", reverse("roles:home")), ("Planning", reverse("planning:home"))]


def _list_crumbs() -> list[tuple[str, str]]:
    return [*_crumbs(), ("API tokens", reverse("tokens"))]


def _is_lead(user) -> bool:
    return selectors.led_organisations_for(user).exists()


def _own_token(request, pk) -> AccessToken:
    try:
        return tokens.token_of(user=request.user, pk=pk)
    except AccessToken.DoesNotExist:
        raise Http404("No token found") from None


def _field_errors(form) -> list[tuple[str, str]]:
    return [(f"id_{name}", " ".join(errors)) for name, errors in form.errors.items()]


@login_required
@require_safe
def token_list(request):
    rows = [(token, tokens.status_of(token)) for token in tokens.tokens_of(user=request.user)]
    return render(
        request,
        "account/tokens.html",
        {"rows": rows, "can_create": _is_lead(request.user), "breadcrumbs": _crumbs()},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request):
    if not _is_lead(request.user):
        context = {
            "message": NOT_A_LEAD,
            "breadcrumbs": _list_crumbs(),
            "back_url": reverse("tokens"),
            "back_label": "Go to your API tokens",
        }
        return render(request, "forbidden.html", context, status=403)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = tokens.create_token(
            user=request.user, name=form.cleaned_data["name"], lifetime_days=form.cleaned_data["lifetime_days"]
        )
        # Shown once: this response is the only place the token ever appears, and is never cached.
        return render(request, "account/token_created.html", {"new": new, "breadcrumbs": _list_crumbs()})
    status = 400 if form.errors else 200
    context = {"form": form, "field_errors": _field_errors(form), "breadcrumbs": _list_crumbs()}
    return render(request, "account/token_create.html", context, status=status)


@login_required
@require_safe
def token_detail(request, pk):
    token = _own_token(request, pk)
    return render(
        request,
        "account/token_detail.html",
        {
            "token": token,
            "status": tokens.status_of(token),
            "uses": tokens.recent_uses(token=token),
            "breadcrumbs": _list_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = _own_token(request, pk)
    if request.method == "POST":
        tokens.revoke_token(token=token)
        messages.success(request, f"The token '{token.name}' has been revoked. It no longer works.")
        return redirect("tokens")
    return render(request, "account/token_revoke.html", {"token": token, "breadcrumbs": _list_crumbs()})
