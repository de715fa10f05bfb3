"""Optimistic locking of plans: a save based on an old version is refused with a conflict page that keeps the
user's input, and under real concurrency (PostgreSQL) exactly one of many simultaneous saves wins."""

from decimal import Decimal

import pytest
from django.db import connection

from planning import services
from planning.models import DemandLine, Plan, StaffingLine
from roles.models import ComplexityTier
from tests.factories import client_for, make_user, make_world, race_lead
from tests.helpers import (
    edit_url,
    editor_values,
    first_blank_row,
    form_values,
    one_of_simultaneous_saves_wins,
    row_index,
    staffing_rows,
)


@pytest.fixture
def world(db):
    return make_world()


def someone_else_saves(
    world, *, contract_hours="35", nurse_fte="6", add_social=False, remove_peer=False, assumptions=None
):
    """Another lead saves the plan through the service, as their own browser would."""
    other = make_user("sam", "Sam", "Saver")
    world.north.memberships.create(user=other, access="lead")
    plan = Plan.objects.get(pk=world.plan.pk)
    create = []
    if add_social:
        create.append({"role_id": world.social.pk, "band": 6, "fte": Decimal("1.2"), "establishment_fte": Decimal("2")})
    services.save_plan(
        plan=plan,
        user=other,
        expected_version=plan.version,
        assumptions={"contract_hours": Decimal(contract_hours), **(assumptions or {})},
        staffing=services.LineChanges(
            {world.nurse_line.pk: {"fte": Decimal(nurse_fte)}},
            create,
            [world.peer_line.pk] if remove_peer else [],
        ),
        demand=services.LineChanges({}, [], []),
    )
    return other


def test_a_stale_save_gets_a_conflict_page_that_keeps_the_users_input(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)  # Lena opens the editor at version 1 ...
    someone_else_saves(world, assumptions={"on_cost_pct": Decimal("30")})  # ... Sam saves version 2 ...
    nurse = row_index(values, world.nurse_line.pk)
    values.update({"contract_hours": "37", f"staffing-{nurse}-fte": "4.75", "notes": "Lena's notes"})
    response = client.post(edit_url(world.plan), values)  # ... and Lena saves.

    assert response.status_code == 409
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Sam Saver saved a newer version of this plan (version 2)" in page
    assert "Someone else saved this plan" in page
    # The differences: saved now vs. what Lena submitted.
    assert "What differs between the saved plan and your changes" in page
    assert ">Contract hours a week</td>" in page
    assert ">35</td>" in page and ">37</td>" in page
    assert ">FTE in post</td>" in page
    assert ">6</td>" in page and ">4.75</td>" in page
    assert "you both changed this: check it" in page
    assert ">Employer on-costs (%)</td>" in page
    assert "The saved value (you had not changed it)" in page
    # Her input, with the new version in the hidden field; Sam's change that she had not touched is kept.
    again = form_values(response, edit_url(world.plan))
    assert again["version"] == "2"
    assert again["contract_hours"] == "37"
    assert again["on_cost_pct"] == "30.00"
    assert again["notes"] == "Lena's notes"
    assert again[f"staffing-{row_index(again, world.nurse_line.pk)}-fte"] == "4.75"
    # Nothing of hers was saved, nothing of Sam's was overwritten.
    plan = Plan.objects.get(pk=world.plan.pk)
    assert (plan.version, plan.contract_hours, plan.notes) == (2, Decimal("35"), "")
    world.nurse_line.refresh_from_db()
    assert world.nurse_line.fte == Decimal("6")

    # One click on Save from the conflict page applies her version.
    response = client.post(edit_url(world.plan), again)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.version, plan.contract_hours, plan.notes, plan.updated_by) == (
        3,
        Decimal("37"),
        "Lena's notes",
        world.lead,
    )
    assert plan.on_cost_pct == Decimal("30")  # not silently put back to 28
    world.nurse_line.refresh_from_db()
    assert world.nurse_line.fte == Decimal("4.75")


def test_lines_added_or_removed_by_someone_else_are_neither_lost_nor_duplicated(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    someone_else_saves(world, add_social=True, remove_peer=True)
    social_line = StaffingLine.objects.get(plan=world.plan, role=world.social)
    peer = row_index(values, world.peer_line.pk)
    new = first_blank_row(values)
    values.update(
        {
            f"staffing-{peer}-fte": "2.5",  # Lena edits the line Sam removed
            f"staffing-{new}-role": str(world.nurse.pk),  # and adds a line of her own
            f"staffing-{new}-band": "6",
            f"staffing-{new}-fte": "1",
            f"staffing-{new}-establishment_fte": "1",
        }
    )
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Removed by Sam Saver" in page
    assert "Added by Sam Saver" in page
    assert "New line" in page

    again = form_values(response, edit_url(world.plan))
    rows = [row for row in staffing_rows(again) if row.get("role")]
    # Sam's new line is in the form (with its id), the removed line comes back as a new row, Lena's new row stays.
    assert {(row["line_id"], row["role"], row["fte"]) for row in rows} == {
        (str(world.nurse_line.pk), str(world.nurse.pk), "6.00"),
        (str(social_line.pk), str(world.social.pk), "1.20"),
        ("", str(world.peer.pk), "2.5"),
        ("", str(world.nurse.pk), "1"),
    }
    assert client.post(edit_url(world.plan), again).status_code == 302
    saved = sorted((line.role.slug, line.band, line.fte) for line in world.plan.staffing_lines.all())
    assert saved == [
        ("mental-health-nurse", 5, Decimal("6.00")),
        ("mental-health-nurse", 6, Decimal("1.00")),
        ("peer-support-worker", 3, Decimal("2.50")),
        ("social-worker", 6, Decimal("1.20")),
    ]


def test_a_line_someone_else_removed_stays_removed_if_the_user_had_not_changed_it(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    someone_else_saves(world, remove_peer=True)
    values["notes"] = "Only the notes"
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 409
    assert "Stays removed (you had not changed it)" in response.content.decode()
    again = form_values(response, edit_url(world.plan))
    assert str(world.peer.pk) not in {row.get("role") for row in staffing_rows(again)}
    assert client.post(edit_url(world.plan), again).status_code == 302
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.notes == "Only the notes"
    assert [line.role.slug for line in plan.staffing_lines.all()] == ["mental-health-nurse"]
    assert plan.staffing_lines.get().fte == Decimal("6")


def test_a_stale_save_that_is_also_invalid_shows_the_conflict_first(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    someone_else_saves(world)
    values[f"staffing-{row_index(values, world.nurse_line.pk)}-fte"] = "1000"
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 409
    again = form_values(response, edit_url(world.plan))
    assert again["version"] == "2"
    response = client.post(edit_url(world.plan), again)
    assert response.status_code == 200
    assert "FTE in post must be 999.99 or less" in response.content.decode()
    assert Plan.objects.get(pk=world.plan.pk).version == 2


def test_a_tampered_line_id_is_refused(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    other_line = StaffingLine.objects.create(
        plan=world.other_plan, role=world.nurse, band=5, fte=Decimal("1"), establishment_fte=Decimal("1")
    )
    values[f"staffing-{row_index(values, world.nurse_line.pk)}-line_id"] = str(other_line.pk)
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 200
    assert "no longer part of this plan" in response.content.decode()
    other_line.refresh_from_db()
    assert other_line.fte == Decimal("1")
    assert Plan.objects.get(pk=world.plan.pk).version == 1


def test_the_service_refuses_a_stale_version_and_writes_nothing(world):
    plan = Plan.objects.get(pk=world.plan.pk)
    with pytest.raises(services.PlanConflict) as conflict:
        services.save_plan(
            plan=plan,
            user=world.lead,
            expected_version=plan.version - 1,
            assumptions={"notes": "stale"},
            staffing=services.LineChanges({world.nurse_line.pk: {"fte": Decimal("9")}}, [], []),
            demand=services.LineChanges({}, [], []),
        )
    assert conflict.value.current.version == 1
    plan.refresh_from_db()
    world.nurse_line.refresh_from_db()
    assert (plan.notes, plan.version, world.nurse_line.fte) == ("", 1, Decimal("4.00"))


# --- Real concurrency: PostgreSQL only -------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections to PostgreSQL")
def test_of_20_simultaneous_saves_exactly_one_wins(restore_reference_data, transactional_db):
    # Transactional tests run after a flush may find the reference data gone, so this one needs none.
    from planning.models import Team

    user, organisation, team_type = race_lead()
    team = Team.objects.create(organisation=organisation, team_type=team_type, name="Race team")
    plan = services.create_plan(team=team, user=user, values={"name": "Raced", "start_year": 2026})
    line = DemandLine.objects.create(
        plan=plan, tier=ComplexityTier.COMPLEX, caseload=1, hours_per_person_per_week=Decimal("1")
    )
    start = plan.version

    def save(index: int, ready) -> None:
        mine = Plan.objects.get(pk=plan.pk)
        ready()
        services.save_plan(
            plan=mine,
            user=user,
            expected_version=start,
            assumptions={"notes": f"thread {index}", "contract_hours": Decimal(20 + index)},
            staffing=services.LineChanges({}, [], []),
            demand=services.LineChanges({line.pk: {"tier": ComplexityTier.COMPLEX, "caseload": 100 + index}}, [], []),
        )

    winner = one_of_simultaneous_saves_wins(save, conflict=services.PlanConflict)
    plan.refresh_from_db()
    line.refresh_from_db()
    assert plan.version == start + 1
    assert (plan.notes, plan.contract_hours, line.caseload) == (f"thread {winner}", Decimal(20 + winner), 100 + winner)
    assert plan.history.filter(history_change_reason=f"Saved version {start + 1}").count() == 1


def test_saving_a_plan_someone_else_deleted_is_a_404(world):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    services.delete_plan(plan=Plan.objects.get(pk=world.plan.pk), user=world.other_lead, expected_version=1)
    assert client.post(edit_url(world.plan), values).status_code == 404
