"""Pay grades and pay tables, a plan's pay point, and what kind of figure a guidance target is.

- PayScale rows name their pay table (Agenda for Change or medical), may give an intermediate point and a source
  label, and say whether they are confirmed against the published table (replacing `secondary_source`).
- Plan.pay_point: cost each grade at its midpoint or its top. A plan's pay year must have a pay table.
- Staffing lines' band column holds a pay grade (roles/bands.py): AfC bands or medical grades.
- GuidanceTarget.kind (current / historical / context), reference_population (for a minimum scaled to the team's
  population) and unverified.

Existing rows: these fields are new, so giving them their values here overwrites no curator's edit. Targets whose
date has passed become historical, the PCN entitlement becomes context, and the national figures resting on one
secondary page are marked unverified. The two crisis team targets that read the 2001 guide's minimum as a range or
a rate are removed only where they are exactly as first loaded (a curator's changed copy is kept);
`crht-minimum-staff` in fixtures/reference/planning.yaml replaces them (load_reference_data adds it).
"""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

import planning.models

HISTORICAL = [
    "stepping-forward-additional-staff",
    "stepping-forward-camhs-posts",
    "stepping-forward-talking-therapies",
    "stepping-forward-crisis-care",
    "stepping-forward-new-roles",
    "stepping-forward-regulated-staff",
    "mhip-additional-staff",
    "mhip-physician-associates",
    "community-transformation-10000",
    "ltwp-peer-support-workers-2023-24",
    "mental-health-pharmacists-2023-24",
    "str-workers-2006",
    "primary-care-graduate-workers-2004",
]
CONTEXT = ["pcn-mhp-entitlement-2023-24"]
UNVERIFIED = [
    "ltwp-peer-support-workers-2023-24",
    "ltwp-peer-support-workers-2036-37",
    "ltwp-physician-associates-2036-37",
    "ltwp-approved-clinician-posts",
]
# The superseded crisis team targets as first loaded: slug -> (metric, comparator, value, value_max).
SUPERSEDED = {
    "crht-staff-per-100k": ("total_fte_per_100k", "at_least", Decimal("9.33"), None),
    "crht-team-size": ("total_fte", "between", Decimal("14.00"), Decimal("15.00")),
}


def mark_existing_rows(apps, schema_editor):
    PayScale = apps.get_model("planning", "PayScale")
    GuidanceTarget = apps.get_model("planning", "GuidanceTarget")
    PayScale.objects.filter(band__gte=20).update(pay_table="medical")
    GuidanceTarget.objects.filter(slug__in=HISTORICAL).update(kind="historical")
    GuidanceTarget.objects.filter(slug__in=CONTEXT).update(kind="context")
    GuidanceTarget.objects.filter(slug__in=UNVERIFIED).update(unverified=True)
    for slug, (metric, comparator, value, value_max) in SUPERSEDED.items():
        GuidanceTarget.objects.filter(
            slug=slug, metric=metric, comparator=comparator, value=value, value_max=value_max
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_plan_pay_growth_and_field_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="guidancetarget",
            name="kind",
            field=models.CharField(
                choices=[
                    ("current", "Current (judged met or not met)"),
                    ("historical", "Historical (its date has passed; not judged)"),
                    ("context", "Context (for example a funding entitlement; not judged)"),
                ],
                default="current",
                help_text="Only current targets are judged met or not met on a dashboard.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="guidancetarget",
            name="reference_population",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="For a minimum for a population: the population the source's figure is for (scaled to the team's).",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
        migrations.AddField(
            model_name="guidancetarget",
            name="unverified",
            field=models.BooleanField(
                default=False,
                help_text="The figure rests on one secondary page and has not been checked against the original document.",
            ),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="pay_point",
            field=models.CharField(
                choices=[("midpoint", "Midpoint of each grade"), ("top", "Top of each grade")],
                default="midpoint",
                help_text="The midpoint of each pay grade, or its top (a cautious budget)",
                max_length=8,
                verbose_name="Cost each grade at",
            ),
        ),
        migrations.AddField(
            model_name="payscale",
            name="confirmed",
            field=models.BooleanField(
                default=False,
                help_text="Checked against the published pay table. Unconfirmed figures say why in the source label.",
            ),
        ),
        migrations.AddField(
            model_name="payscale",
            name="intermediate",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="A published intermediate point, if any.",
                max_digits=9,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="payscale",
            name="pay_table",
            field=models.CharField(
                choices=[("afc", "Agenda for Change"), ("medical", "Medical and dental")], default="afc", max_length=7
            ),
        ),
        migrations.AddField(
            model_name="payscale",
            name="source_label",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="plan",
            name="pay_point",
            field=models.CharField(
                choices=[("midpoint", "Midpoint of each grade"), ("top", "Top of each grade")],
                default="midpoint",
                help_text="The midpoint of each pay grade, or its top (a cautious budget)",
                max_length=8,
                verbose_name="Cost each grade at",
            ),
        ),
        migrations.AlterField(
            model_name="guidancetarget",
            name="metric",
            field=models.CharField(
                choices=[
                    ("total_fte", "Total team FTE"),
                    ("total_fte_per_100k", "Team FTE per 100,000 population"),
                    ("min_fte_per_population", "Minimum team FTE for a population, scaled to the team's"),
                    ("caseload_per_clinical_fte", "Caseload per clinical FTE"),
                    ("min_fte", "FTE of a role, family or capability"),
                    ("share_of_fte", "Share of team FTE (%)"),
                    ("national_headcount", "National staff number"),
                ],
                max_length=26,
            ),
        ),
        migrations.AlterField(
            model_name="historicalplan",
            name="pay_year",
            field=models.CharField(
                default=planning.models.latest_pay_year,
                help_text="The pay tables (Agenda for Change and medical) used for costs",
                max_length=7,
                validators=[planning.models.validate_pay_year],
                verbose_name="Pay year",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstaffingline",
            name="band",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (2, "Band 2"),
                    (3, "Band 3"),
                    (4, "Band 4"),
                    (5, "Band 5"),
                    (6, "Band 6"),
                    (7, "Band 7"),
                    (8, "Band 8a"),
                    (9, "Band 8b"),
                    (10, "Band 8c"),
                    (11, "Band 8d"),
                    (12, "Band 9"),
                    (20, "Resident doctor (foundation)"),
                    (21, "Resident doctor (core training)"),
                    (22, "Resident doctor (higher training)"),
                    (23, "Specialty doctor"),
                    (24, "Specialist"),
                    (25, "Consultant"),
                ],
                help_text="Agenda for Change band, or medical grade for doctors",
                verbose_name="Band or grade",
            ),
        ),
        migrations.AlterField(
            model_name="payscale",
            name="band",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (2, "Band 2"),
                    (3, "Band 3"),
                    (4, "Band 4"),
                    (5, "Band 5"),
                    (6, "Band 6"),
                    (7, "Band 7"),
                    (8, "Band 8a"),
                    (9, "Band 8b"),
                    (10, "Band 8c"),
                    (11, "Band 8d"),
                    (12, "Band 9"),
                    (20, "Resident doctor (foundation)"),
                    (21, "Resident doctor (core training)"),
                    (22, "Resident doctor (higher training)"),
                    (23, "Specialty doctor"),
                    (24, "Specialist"),
                    (25, "Consultant"),
                ],
                verbose_name="Grade",
            ),
        ),
        migrations.AlterField(
            model_name="payscale",
            name="year",
            field=models.CharField(help_text="Pay year, for example 2026/27 (from 1 April 2026).", max_length=7),
        ),
        migrations.AlterField(
            model_name="plan",
            name="pay_year",
            field=models.CharField(
                default=planning.models.latest_pay_year,
                help_text="The pay tables (Agenda for Change and medical) used for costs",
                max_length=7,
                validators=[planning.models.validate_pay_year],
                verbose_name="Pay year",
            ),
        ),
        migrations.AlterField(
            model_name="staffingline",
            name="band",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (2, "Band 2"),
                    (3, "Band 3"),
                    (4, "Band 4"),
                    (5, "Band 5"),
                    (6, "Band 6"),
                    (7, "Band 7"),
                    (8, "Band 8a"),
                    (9, "Band 8b"),
                    (10, "Band 8c"),
                    (11, "Band 8d"),
                    (12, "Band 9"),
                    (20, "Resident doctor (foundation)"),
                    (21, "Resident doctor (core training)"),
                    (22, "Resident doctor (higher training)"),
                    (23, "Specialty doctor"),
                    (24, "Specialist"),
                    (25, "Consultant"),
                ],
                help_text="Agenda for Change band, or medical grade for doctors",
                verbose_name="Band or grade",
            ),
        ),
        migrations.RunPython(mark_existing_rows, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="payscale",
            name="secondary_source",
        ),
    ]
