"""Load the demo data (fixtures/demo/demo.yaml): two fictional trusts with teams and plans, and five demo accounts.

    manage.py load_demo_data              create or reset the demo data to the file; re-running changes nothing
    manage.py load_demo_data --if-absent  do nothing if it is already there (what `make run` uses)

Every team and plan in the file has a `key` that never changes, stored on the row as `demo_key` (a name can be
edited in the workspace, so it cannot identify the row): this command matches organisations by slug, teams by key
within their organisation and plans by key within their team, and only writes what differs from the file. A demo
team or plan that differs (someone renamed or edited it in the workspace) is put back as it is in the file, at the
next version, so anyone editing it at the same time gets a conflict rather than a silent overwrite; a plan also
goes back to draft with the file's assumptions and lines. Rows loaded before keys existed are found once by the
file's name and given their key.

The demo accounts all get one password: DEMO_PASSWORD if set; otherwise a random one generated at the first load
and kept in the git-ignored file `.demo-password`, so that every `make run` can print it. No demo account exists
unless this command has run. It refuses to run in production (no DJANGO_DEBUG or NWWMH_LOCAL) unless told to.
"""

import os
import secrets
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from planning.fields import ASSUMPTION_FIELDS, DEMAND_FIELDS, STAFFING_FIELDS
from planning.models import (
    DeclaredCapability,
    DemandLine,
    Membership,
    Organisation,
    Plan,
    StaffingLine,
    Team,
    TeamType,
)
from roles.bands import BAND_BY_CODE, Band, role_band_allowed, role_band_rule_text
from roles.models import Capability, ComplexityTier, Role

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "demo.yaml"
PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-password"
CHANGE_REASON = "Demo data"
EMAIL_DOMAIN = "demo.nwwmh.example"
PLAN_ASSUMPTIONS = [field for field in ASSUMPTION_FIELDS if field != "name"]
TIERS = {tier.label.lower(): tier.value for tier in ComplexityTier}
CENT = Decimal("0.01")
UNAMBIGUOUS_CHARACTERS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _saved(obj) -> None:
    """Validate (so a mistake in the file is reported, not stored) and save with a history reason."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise CommandError(f"Demo data for {obj._meta.verbose_name} '{obj}' is not valid: {error}") from error
    obj._change_reason = CHANGE_REASON
    obj.save()


class Command(BaseCommand):
    help = "Load the demo trusts, teams, plans and accounts (fixtures/demo/demo.yaml). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-absent", action="store_true", help="Do nothing (but remind of the password) if already loaded."
        )
        parser.add_argument("--file", type=Path, default=DEMO_FILE, help="The demo data file.")
        parser.add_argument(
            "--password-file", type=Path, default=PASSWORD_FILE, help="Where a generated password is kept."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run without DJANGO_DEBUG or NWWMH_LOCAL (this creates accounts with a known password).",
        )

    def handle(self, *args, file: Path, password_file: Path, if_absent: bool, allow_production: bool, **options):
        if not (settings.DEBUG or getattr(settings, "LOCAL", False) or allow_production):
            raise CommandError(
                "Demo accounts have a shared, known password, so they are for local runs only. "
                "Set NWWMH_LOCAL=1 (as `make run` does), or pass --allow-production if you really mean it."
            )
        spec = self.read_spec(file)
        self._user_specs = spec["users"]
        if if_absent and self.is_present(spec):
            self.stdout.write("Demo data is already loaded.")
            self.remind_password(spec, password_file)
            return
        password, origin = self.password(password_file, generate=True)
        self.counts = Counter()
        with transaction.atomic():
            users = self.load_users(spec["users"], password)
            for org_spec in spec["organisations"]:
                self.load_organisation(org_spec, users)
            self.load_memberships(spec["users"], users)
        self.report(spec, password, origin)

    # -- Reading and checking the file --------------------------------------------------------------------------

    def read_spec(self, file: Path) -> dict:
        try:
            spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"Cannot read the demo data file {file}: {error}") from error
        if not isinstance(spec, dict) or not spec.get("organisations") or not spec.get("users"):
            raise CommandError(f"{file} needs 'organisations' and 'users' lists.")
        return spec

    def is_present(self, spec: dict) -> bool:
        slugs = {org["slug"] for org in spec["organisations"]}
        usernames = {user["username"] for user in spec["users"]}
        organisations = Organisation.objects.filter(slug__in=slugs, is_demo=True).count()
        accounts = get_user_model().objects.filter(username__in=usernames).count()
        return organisations == len(slugs) and accounts == len(usernames)

    def role(self, slug: str) -> Role:
        if not hasattr(self, "_roles"):
            self._roles = {role.slug: role for role in Role.objects.all()}
        try:
            return self._roles[slug]
        except KeyError:
            raise CommandError(f"Unknown role '{slug}'. Load the reference data first (make run does).") from None

    def band(self, code, role: Role, where: str) -> int:
        band = BAND_BY_CODE.get(str(code))
        if band is None:
            raise CommandError(f"{where}: unknown band '{code}'.")
        if not role_band_allowed(role, band):  # the plan editor's rule (planning.staffing_rules)
            raise CommandError(
                f"{where}: {Band(band).label} is outside the range of {role.name} in the catalogue "
                f"({role_band_rule_text(role, mid_sentence=True)})."
            )
        return band

    # -- Accounts ---------------------------------------------------------------------------------------------

    def password(self, password_file: Path, *, generate: bool) -> tuple[str | None, str]:
        from_env = os.environ.get("DEMO_PASSWORD", "")
        if from_env:
            return from_env, "the value of DEMO_PASSWORD"
        if password_file.exists():
            saved = password_file.read_text(encoding="utf-8").strip()
            if saved:
                return saved, f"saved in {password_file.name}"
        if not generate:
            return None, ""
        # Four groups of four letters and digits (about 90 bits), without look-alikes such as O and 0.
        generated = "-".join("".join(secrets.choice(UNAMBIGUOUS_CHARACTERS) for _ in range(4)) for _ in range(4))
        descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(generated + "\n")
        return generated, f"generated now and saved in {password_file.name}"

    def load_users(self, user_specs: list[dict], password: str) -> dict:
        User = get_user_model()
        existing = {
            user.username: user for user in User.objects.filter(username__in=[u["username"] for u in user_specs])
        }
        # One hash for all demo accounts: reuse the current one when it is still right, so a re-run changes nothing.
        password_hash = next(
            (user.password for user in existing.values() if check_password(password, user.password)), None
        ) or make_password(password)
        users = {}
        for spec in user_specs:
            username = spec["username"]
            values = {
                "first_name": spec.get("first_name", ""),
                "last_name": spec.get("last_name", ""),
                "email": f"{username}@{EMAIL_DOMAIN}",
                "is_staff": bool(spec.get("is_staff", False)),
                "is_superuser": False,
                "is_active": True,
                "password": password_hash,
            }
            user = existing.get(username)
            if user is None:
                user = User.objects.create(username=username, **values)
                self.counts["accounts created"] += 1
            elif any(getattr(user, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(user, field, value)
                user.save()
                self.counts["accounts updated"] += 1
            groups = []
            if spec.get("group"):
                try:
                    groups = [Group.objects.get(name=spec["group"])]
                except Group.DoesNotExist:
                    raise CommandError(f"The group {spec['group']} does not exist: run `manage.py migrate`.") from None
            if set(user.groups.all()) != set(groups):
                user.groups.set(groups)
                if username in existing:
                    self.counts["accounts updated"] += 1
            users[username] = user
        return users

    def load_memberships(self, user_specs: list[dict], users: dict) -> None:
        for spec in user_specs:
            user = users[spec["username"]]
            wanted = {}
            if spec.get("organisation"):
                organisation = Organisation.objects.get(slug=spec["organisation"])
                wanted[organisation.pk] = spec["access"]
            for membership in Membership.objects.filter(user=user):
                if membership.organisation_id not in wanted:
                    membership.delete()
                elif membership.access != wanted.pop(membership.organisation_id):
                    membership.access = spec["access"]
                    membership.save()
            for organisation_id, access in wanted.items():
                Membership.objects.create(user=user, organisation_id=organisation_id, access=access)

    # -- Organisations, teams and plans -----------------------------------------------------------------------

    def sync(self, model, lookup: dict, values: dict, what: str):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            _saved(obj)
            self.counts[f"{what} created"] += 1
        elif any(getattr(obj, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(obj, field, value)
            _saved(obj)
            self.counts[f"{what} updated"] += 1
        return obj

    def load_organisation(self, spec: dict, users: dict) -> None:
        slug = spec["slug"]
        real = Organisation.objects.filter(slug=slug, is_demo=False).first()
        clash = Organisation.objects.filter(ods_code=spec["ods_code"]).exclude(slug=slug).first()
        if real or clash:
            raise CommandError(f"{(real or clash).name} is not demo data and has the slug or ODS code of a demo trust.")
        organisation = self.sync(
            Organisation,
            {"slug": slug},
            {"name": spec["name"], "ods_code": spec["ods_code"], "kind": spec["kind"], "is_demo": True},
            "organisations",
        )
        lead = self.lead_for(slug, users)
        for team_spec in spec["teams"]:
            try:
                team_type = TeamType.objects.get(slug=team_spec["team_type"])
            except TeamType.DoesNotExist:
                raise CommandError(
                    f"Unknown team type '{team_spec['team_type']}'. Load the reference data first."
                ) from None
            team = self.load_team(organisation, team_spec, team_type)
            plans = {}
            # Baselines first, so that scenarios can name the plan they are a scenario of.
            for plan_spec in sorted(team_spec["plans"], key=lambda plan: bool(plan.get("scenario_of"))):
                base = plans.get(plan_spec.get("scenario_of")) if plan_spec.get("scenario_of") else None
                if plan_spec.get("scenario_of") and base is None:
                    raise CommandError(f"{team.name}: no plan called '{plan_spec['scenario_of']}' to be a scenario of.")
                plans[plan_spec["name"]] = self.load_plan(team, plan_spec, base, lead)

    @staticmethod
    def key(spec: dict, where: str) -> str:
        key = spec.get("key")
        if not key:
            raise CommandError(f"{where} '{spec.get('name')}' needs a key (a slug that never changes).")
        return str(key)

    @staticmethod
    def keyed(queryset, key: str, name: str):
        """The row with this demo key; else one loaded before keys existed, found by the file's name."""
        return queryset.filter(demo_key=key).first() or queryset.filter(demo_key="", name=name).first()

    def load_team(self, organisation: Organisation, spec: dict, team_type: TeamType) -> Team:
        key = self.key(spec, f"{organisation.name}: the team")
        values = {
            "name": spec["name"],
            "team_type": team_type,
            "population_served": spec.get("population_served"),
            "demo_key": key,
        }
        team = self.keyed(Team.objects.select_for_update().filter(organisation=organisation), key, spec["name"])
        taken = Team.objects.filter(organisation=organisation, name=spec["name"])
        if (taken.exclude(pk=team.pk) if team else taken).exists():
            raise CommandError(
                f"{organisation.name} has another team called {spec['name']}: rename it, then run this again."
            )
        if team is None:
            _saved(Team(organisation=organisation, **values))
            self.counts["teams created"] += 1
            return Team.objects.get(organisation=organisation, demo_key=key)
        if any(getattr(team, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(team, field, value)
            team.version += 1
            _saved(team)
            self.counts["teams reset"] += 1
        return team

    def lead_for(self, organisation_slug: str, users: dict):
        return next(
            (
                users[spec["username"]]
                for spec in self._user_specs
                if spec.get("organisation") == organisation_slug and spec.get("access") == Membership.Access.LEAD
            ),
            None,
        )

    def load_plan(self, team: Team, spec: dict, base: Plan | None, lead) -> Plan:
        where = f"{team.name}, {spec['name']}"
        values = {field: Plan._meta.get_field(field).get_default() for field in PLAN_ASSUMPTIONS}
        values.update({field: spec[field] for field in PLAN_ASSUMPTIONS if field in spec})
        for field in PLAN_ASSUMPTIONS:
            if isinstance(values[field], float | int) and isinstance(Plan._meta.get_field(field).default, Decimal):
                values[field] = _decimal(values[field])
        values["scenario_of"] = base
        values["name"] = spec["name"]
        values["demo_key"] = key = self.key(spec, f"{team.name}: the plan")
        staffing = [self.staffing_values(line, where) for line in spec.get("staffing", [])]
        demand = [self.demand_values(line, where) for line in spec.get("demand", [])]

        plan = self.keyed(Plan.objects.select_for_update().filter(team=team), key, spec["name"])
        if plan is None:
            plan = Plan(team=team, created_by=lead, updated_by=lead, **values)
            _saved(plan)
            self.replace_lines(plan, staffing, demand)
            self.counts["plans created"] += 1
            return plan
        same = (
            all(getattr(plan, field) == value for field, value in values.items())
            and plan.status == Plan.Status.DRAFT
            and self.staffing_key(plan.staffing_lines.prefetch_related("declared_capabilities__capability"))
            == self.staffing_key(staffing)
            and self.demand_key(plan.demand_lines.all()) == self.demand_key(demand)
        )
        if not same:
            for field, value in values.items():
                setattr(plan, field, value)
            plan.status = Plan.Status.DRAFT
            plan.version += 1
            plan.updated_by = lead
            _saved(plan)
            plan.staffing_lines.all().delete()
            plan.demand_lines.all().delete()
            self.replace_lines(plan, staffing, demand)
            self.counts["plans reset"] += 1
        return plan

    def staffing_values(self, line: dict, where: str) -> dict:
        role = self.role(line["role"])
        return {
            "role": role,
            "band": self.band(line["band"], role, where),
            "fte": _decimal(line["fte"]),
            "establishment_fte": _decimal(line.get("establishment", line["fte"])),
            "attrition_pct": _decimal(line.get("attrition", 0)),
            "trainees_fte": _decimal(line.get("trainees", 0)),
            "trainee_completion_year": line.get("trainee_completion_year"),
            "recruitment_fte_per_year": _decimal(line.get("recruitment", 0)),
            "complexity_ceiling": self.tier(line["complexity_ceiling"], where)
            if "complexity_ceiling" in line
            else None,
            "supervision_hours_per_month": (
                _decimal(line["supervision_hours_per_month"]) if "supervision_hours_per_month" in line else None
            ),
            "note": line.get("note", ""),
            "declared": {slug: _decimal(fte) for slug, fte in line.get("declared", {}).items()},
        }

    @staticmethod
    def tier(value, where: str) -> int:
        tier = TIERS.get(str(value).lower())
        if tier is None:
            raise CommandError(f"{where}: unknown tier '{value}' (use complex, moderate or routine).")
        return tier

    def demand_values(self, line: dict, where: str) -> dict:
        return {
            "tier": self.tier(line["tier"], where),
            "caseload": int(line["caseload"]),
            "hours_per_person_per_week": _decimal(line["hours_per_person_per_week"]),
        }

    @staticmethod
    def _get(line, field):
        return line[field] if isinstance(line, dict) else getattr(line, field)

    @staticmethod
    def _declared(line) -> tuple:
        if isinstance(line, dict):
            return tuple(sorted(line["declared"].items()))
        return tuple(sorted((row.capability.slug, row.fte) for row in line.declared_capabilities.all()))

    def staffing_key(self, lines) -> Counter:
        fields = [field for field in STAFFING_FIELDS if field != "role_id"]
        return Counter(
            (self._get(line, "role").pk, *(self._get(line, field) for field in fields), self._declared(line))
            for line in lines
        )

    def demand_key(self, lines) -> Counter:
        return Counter(tuple(self._get(line, field) for field in DEMAND_FIELDS) for line in lines)

    def replace_lines(self, plan: Plan, staffing: list[dict], demand: list[dict]) -> None:
        for values in staffing:
            declared = values.pop("declared")
            line = StaffingLine(plan=plan, **values)
            _saved(line)
            values["declared"] = declared
            for slug, fte in declared.items():
                _saved(DeclaredCapability(line=line, capability=Capability.objects.get(slug=slug), fte=fte))
        for values in demand:
            _saved(DemandLine(plan=plan, **values))

    # -- Output -----------------------------------------------------------------------------------------------

    def report(self, spec: dict, password: str, origin: str) -> None:
        if self.counts:
            changes = ", ".join(f"{what}: {count}" for what, count in sorted(self.counts.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {changes}."))
        else:
            self.stdout.write("Demo data is already up to date: nothing changed.")
        self.stdout.write("Demo accounts: " + ", ".join(user["username"] for user in spec["users"]))
        self.print_password(password, origin)

    def remind_password(self, spec: dict, password_file: Path) -> None:
        password, origin = self.password(password_file, generate=False)
        if password is None:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo password: not known here (no DEMO_PASSWORD and no {password_file.name}). "
                    "Run `manage.py load_demo_data` to set a new one."
                )
            )
            return
        first = get_user_model().objects.get(username=spec["users"][0]["username"])
        if first.check_password(password):
            self.print_password(password, origin)
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo password: the demo accounts do not use {origin}. "
                    "Run `manage.py load_demo_data` (without --if-absent) to set it."
                )
            )

    def print_password(self, password: str, origin: str) -> None:
        shown = "(the value of DEMO_PASSWORD)" if origin == "the value of DEMO_PASSWORD" else password
        line = f"Demo password: {shown}"
        self.stdout.write(self.style.SUCCESS(line) + (f"   ({origin})" if shown == password else ""))
