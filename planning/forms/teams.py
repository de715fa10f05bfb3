"""Teams: a new team in an organisation the user leads, and a team's details."""

from django import forms

from planning import selectors
from planning.forms.widgets import NHSFormMixin, model_number_field
from planning.models import Team


class TeamForm(NHSFormMixin, forms.ModelForm):
    # Accepts "150,000" as typed, and shows a saved population as 150,000.
    population_served = model_number_field(
        Team,
        "population_served",
        required=False,
        help_text="The number of people living in the area the team serves (optional)",
    )
    widths = {"population_served": "10"}

    class Meta:
        model = Team
        fields = ["name", "team_type", "population_served"]
        labels = {"name": "Team name", "team_type": "Team type", "population_served": "Population served"}
        help_texts = {"name": "For example, North Locality CMHT"}
        error_messages = {
            "name": {"required": "Enter a team name", "max_length": "Team name must be 120 characters or fewer"},
            "team_type": {"required": "Choose a team type", "invalid_choice": "Choose a team type from the list"},
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation or (self.instance.organisation if self.instance.pk else None)
        self.fields["team_type"].empty_label = "Choose a team type"

    def _organisation_for_check(self):
        return self.organisation

    def clean(self):
        cleaned = super().clean()
        organisation = self._organisation_for_check()
        name = cleaned.get("name")
        if organisation is not None and name:
            clash = organisation.teams.filter(name=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", f"{organisation.name} already has a team called {name}")
        return cleaned


class TeamEditForm(TeamForm):
    """A team's details, with the version they were loaded at (`services.save_team` refuses a stale one)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version

    def clean_version(self) -> int | None:
        """The version the form was loaded at; one that is missing or altered matches no version, so saving
        gives the conflict page rather than an error against a field nobody can see."""
        value = self.cleaned_data["version"].strip()
        return int(value) if value.isdigit() else None


class TeamCreateForm(TeamForm):
    """A new team, in one of the organisations the user leads (never a free organisation id)."""

    class Meta(TeamForm.Meta):
        fields = ["organisation", "name", "team_type", "population_served"]
        labels = {**TeamForm.Meta.labels, "organisation": "Organisation"}
        error_messages = {
            **TeamForm.Meta.error_messages,
            "organisation": {
                "required": "Choose the organisation the team belongs to",
                "invalid_choice": "Choose one of the organisations you lead",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.led_organisations_for(user).order_by("name")
        self.fields["organisation"].empty_label = "Choose an organisation"

    def _organisation_for_check(self):
        return self.cleaned_data.get("organisation")
