"""Optimistic locking of teams, as for plans: of two people editing one team, the second save is refused with a
conflict that keeps their input (nothing is silently lost), and under real concurrency (PostgreSQL) exactly one
of many simultaneous saves wins."""

import pytest
from django.db import connection
from django.urls import reverse

from planning import services
from planning.models import Team
from tests.factories import client_for, make_user, make_world, race_lead
from tests.helpers import form_values, one_of_simultaneous_saves_wins


@pytest.fixture
def world(db):
    world = make_world()
    world.colleague = make_user("cai", "Cai", "Colleague")
    world.north.memberships.create(user=world.colleague, access="lead")
    return world


def team_url(team):
    return reverse("planning:team-edit", args=[team.pk])


def opened(client, team) -> dict:
    response = client.get(team_url(team))
    assert response.status_code == 200
    return form_values(response)


def test_the_team_form_carries_its_version_and_a_save_moves_it_on(world):
    client = client_for(world.lead)
    values = opened(client, world.team)
    assert values["version"] == "1"
    values["population_served"] = "250000"
    assert client.post(team_url(world.team), values).status_code == 302
    team = Team.objects.get(pk=world.team.pk)
    assert (team.version, team.population_served) == (2, 250000)
    assert team.history.first().history_change_reason == "Saved version 2"


def test_the_second_of_two_editors_gets_a_conflict_and_keeps_their_input(world):
    lena, cai = client_for(world.lead), client_for(world.colleague)
    lenas, cais = opened(lena, world.team), opened(cai, world.team)  # both open version 1

    cais.update({"name": "North CMHT (Cai)", "population_served": "90000"})
    assert cai.post(team_url(world.team), cais).status_code == 302  # Cai saves version 2

    lenas.update({"name": "North CMHT (Lena)", "population_served": "120000"})
    response = lena.post(team_url(world.team), lenas)  # ... and Lena saves, from version 1

    assert response.status_code == 409
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert "Cai Colleague saved this team on" in page and "(version 2)" in page
    assert "Nothing you entered has been saved" in page
    assert "Team name is now “North CMHT (Cai)”; you entered “North CMHT (Lena)”." in page
    assert "Population served is now “90000”; you entered “120000”." in page
    again = form_values(response)
    assert again["version"] == "2"
    assert (again["name"], again["population_served"]) == ("North CMHT (Lena)", "120000")
    # Cai's save stands.
    team = Team.objects.get(pk=world.team.pk)
    assert (team.version, team.name, team.population_served) == (2, "North CMHT (Cai)", 90000)

    # Saving again from the conflict page is Lena's deliberate choice, and it applies.
    assert lena.post(team_url(world.team), again).status_code == 302
    team.refresh_from_db()
    assert (team.version, team.name, team.population_served) == (3, "North CMHT (Lena)", 120000)


@pytest.mark.parametrize("version", ["", "0", "7", "not a number"])
def test_a_missing_or_wrong_version_is_a_conflict_not_an_overwrite(world, version):
    client = client_for(world.lead)
    values = {**opened(client, world.team), "name": "Renamed", "version": version}
    response = client.post(team_url(world.team), values)
    assert response.status_code == 409
    assert Team.objects.get(pk=world.team.pk).name == "North locality CMHT"


def test_the_service_refuses_a_stale_version_and_writes_nothing(world):
    team = Team.objects.get(pk=world.team.pk)
    services.save_team(team=Team.objects.get(pk=team.pk), user=world.colleague, expected_version=1)
    team.name = "Stale"
    with pytest.raises(services.TeamConflict) as conflict:
        services.save_team(team=team, user=world.lead, expected_version=1)
    assert conflict.value.current.version == 2
    assert Team.objects.get(pk=team.pk).name == "North locality CMHT"
    assert Team.history.filter(id=team.pk).count() == 2  # created, and Cai's save: nothing for the stale one


def test_an_admin_edit_moves_the_version_on(world, admin_client):
    values = opened(client_for(world.lead), world.team)
    url = reverse("admin:planning_team_change", args=[world.team.pk])
    response = admin_client.post(
        url,
        {
            "organisation": world.north.pk,
            "team_type": world.team.team_type_id,
            "name": "Renamed in the admin",
            "population_served": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Team.objects.get(pk=world.team.pk).version == 2
    response = client_for(world.lead).post(team_url(world.team), {**values, "name": "Renamed by Lena"})
    assert response.status_code == 409
    assert Team.objects.get(pk=world.team.pk).name == "Renamed in the admin"


# --- Real concurrency: PostgreSQL only -------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections to PostgreSQL")
def test_of_20_simultaneous_team_saves_exactly_one_wins(restore_reference_data, transactional_db):
    user, organisation, team_type = race_lead()
    team = services.save_team(team=Team(organisation=organisation, team_type=team_type, name="Race team"), user=user)
    start = team.version

    def save(index: int, ready) -> None:
        mine = Team.objects.get(pk=team.pk)
        mine.name, mine.population_served = f"Team {index}", 1000 + index
        ready()
        services.save_team(team=mine, user=user, expected_version=start)

    winner = one_of_simultaneous_saves_wins(save, conflict=services.TeamConflict)
    team.refresh_from_db()
    assert (team.version, team.name, team.population_served) == (start + 1, f"Team {winner}", 1000 + winner)
    assert team.history.filter(history_change_reason=f"Saved version {start + 1}").count() == 1
