"""Forms for the planning workspace: teams, plans, and the one-page plan editor.

Every form names its fields explicitly; none exposes a plan's organisation, team, status or version as
something a user can set (the version the editor was loaded at travels in a hidden field, and the service
checks it). Error messages follow the NHS.UK pattern: they say what to do and name the field.

- `widgets`: NHS.UK classes, the fast role select, number fields built from the model's fields;
- `teams`: a team's details;
- `plans`: a plan's name, period and assumptions, renaming, version and status;
- `rows`: the editor's staffing and demand rows (a staffing line is checked by `planning.staffing_rules`);
- `submission`: what a user posted, read back without validating it;
- `editor`: the plan editor as a whole;
- `grid`: the grid's buttons without JavaScript (add, copy and delete rows; use the reference demand).

Merging a conflicting save is `planning.conflicts`; the role picker's options are `planning.role_options`.
"""

from planning.conflicts import row_is_blank
from planning.forms.editor import PlanEditor
from planning.forms.plans import PlanAssumptionsForm, PlanForm, PlanNameForm, StatusForm, VersionForm
from planning.forms.rows import (
    ADD_ROWS,
    EXTRA_ROWS,
    MAX_ROWS,
    DemandLineForm,
    PlanPeriod,
    StaffingFormSet,
    StaffingLineForm,
    row_capacity,
)
from planning.forms.submission import parse_submission
from planning.forms.teams import TeamCreateForm, TeamEditForm, TeamForm
from planning.forms.widgets import FastSelect, NHSFormMixin, number_field, typed_number
from planning.role_options import RoleOptions, role_options
from planning.staffing_rules import declared_field

__all__ = [
    "ADD_ROWS",
    "EXTRA_ROWS",
    "MAX_ROWS",
    "DemandLineForm",
    "FastSelect",
    "NHSFormMixin",
    "PlanAssumptionsForm",
    "PlanEditor",
    "PlanForm",
    "PlanNameForm",
    "PlanPeriod",
    "RoleOptions",
    "StaffingFormSet",
    "StaffingLineForm",
    "StatusForm",
    "TeamCreateForm",
    "TeamEditForm",
    "TeamForm",
    "VersionForm",
    "declared_field",
    "number_field",
    "parse_submission",
    "role_options",
    "row_capacity",
    "row_is_blank",
    "typed_number",
]
