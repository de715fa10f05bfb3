"""Full-text search over roles, on whichever database is configured (SQLite FTS5 or PostgreSQL)."""

import pytest
from django.db import connection

from roles.models import Role
from roles.search import MAX_QUERY_LENGTH, MAX_TERMS, search_roles, search_terms
from tests.factories import ROLE_SLUGS, make_role

# --- search_terms: plain unit tests, no database ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Physician Assistant", ["physician", "assistant"]),
        ("  peer   support  ", ["peer", "support"]),
        ('"peer" AND (nurse OR *)', ["peer", "and", "nurse", "or"]),
        ("NEAR(peer nurse, 2)", ["near", "peer", "nurse", "2"]),
        ("'; DROP TABLE roles_role; --", ["drop", "table", "roles_role"]),
        ("peer* -nurse ^support col:name", ["peer", "nurse", "support", "col", "name"]),
        ("thérapeute Ärzte", ["thérapeute", "ärzte"]),
        ("café\x00nurse", ["café", "nurse"]),
        ("🧠 peer 🧠", ["peer"]),
        ("", []),
        ("   \t\n ", []),
        ('"*()^:-+', []),
    ],
)
def test_search_terms(query, terms):
    assert search_terms(query) == terms


def test_search_terms_keeps_at_most_max_terms_words():
    words = [f"word{n}" for n in range(MAX_TERMS + 5)]
    assert search_terms(" ".join(words)) == words[:MAX_TERMS]


def test_search_terms_reads_only_the_first_max_query_length_characters():
    query = "a" * (MAX_QUERY_LENGTH - 3) + " nurse"
    assert search_terms(query) == ["a" * (MAX_QUERY_LENGTH - 3), "nu"]
    assert search_terms("x" * 10_000) == ["x" * MAX_QUERY_LENGTH]


# --- search_roles against the reference data ----------------------------------------------------------------


def slugs(query, queryset=None):
    return [role.slug for role in search_roles(queryset if queryset is not None else Role.objects.all(), query)]


@pytest.mark.django_db
def test_alternative_title_finds_the_role_first():
    found = slugs("physician assistant")
    assert found[0] == "physician-associate"


@pytest.mark.django_db
def test_search_is_case_insensitive():
    assert slugs("PHYSICIAN Assistant")[0] == "physician-associate"


@pytest.mark.django_db
def test_peer_finds_peer_roles_only():
    found = slugs("peer")
    assert {"peer-support-worker", "family-ambassador"} <= set(found)
    assert "clinical-psychologist" not in found
    assert "mental-health-pharmacist" not in found


@pytest.mark.django_db
def test_prescribing_finds_prescribers_by_stemming():
    pharmacist = Role.objects.get(slug="mental-health-pharmacist")
    text = " ".join([pharmacist.name, pharmacist.alternative_titles, pharmacist.summary, pharmacist.scope_of_practice])
    assert "prescribing" not in text.lower()  # it says "prescribers"
    found = slugs("prescribing")
    assert {"mental-health-nurse", "mental-health-pharmacist"} <= set(found)
    assert "peer-support-worker" not in found


@pytest.mark.django_db
def test_stemming_matches_other_forms_of_a_word():
    role = make_role(summary="Trains as a frobnicator of records.")
    assert slugs("frobnicators") == [role.slug]
    assert slugs("FROBNICATOR") == [role.slug]
    assert slugs("prescribing", Role.objects.filter(pk=role.pk)) == []


@pytest.mark.django_db
def test_every_word_must_match():
    both = set(slugs("peer families"))
    assert "family-ambassador" in both
    assert "peer-support-worker" not in both  # says "peer" but not "families"
    assert both <= set(slugs("peer"))


@pytest.mark.django_db
def test_results_carry_a_rank_best_first():
    results = list(search_roles(Role.objects.all(), "practitioner"))
    assert len(results) >= 3
    ranks = [role.rank for role in results]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.django_db
def test_search_respects_the_queryset_it_is_given():
    in_family = slugs("practitioner", Role.objects.filter(family__slug="psychological-professions"))
    everywhere = slugs("practitioner")
    assert in_family
    assert set(in_family) < set(everywhere)
    assert Role.objects.filter(slug__in=in_family).exclude(family__slug="psychological-professions").count() == 0


@pytest.mark.django_db
def test_no_match_returns_nothing():
    assert slugs("qwzxvbnonsenseword") == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", " ", "   \t\n  ", "\x00", '"', "*", "()", "-+^:"])
def test_empty_or_punctuation_only_query_returns_none(query):
    assert search_roles(Role.objects.all(), query).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"peer',
        'peer"',
        "*",
        "peer*",
        "AND",
        "peer AND",
        "AND peer",
        "OR NOT",
        "(",
        "peer)",
        "NEAR",
        "NEAR(peer nurse)",
        "peer NEAR/2 nurse",
        "'; DROP TABLE roles_role; --",
        "roles_role_fts MATCH '*'",
        "name:peer",
        "{name}: peer",
        "^peer",
        "peer -nurse",
        "%",
        "_",
        "peer\x00",
        "a" * 5000,
        " ".join(["peer"] * 100),
    ],
)
def test_fts_syntax_in_the_query_never_raises(query):
    results = list(search_roles(Role.objects.all(), query))
    assert all(isinstance(role, Role) for role in results)
    assert Role.objects.count() == len(ROLE_SLUGS)  # and nothing was dropped


@pytest.mark.django_db
def test_quoted_query_matches_like_the_plain_words():
    assert slugs('"peer"') == slugs("peer")
    assert slugs("peer*") == slugs("peer")


# --- ranking, with test roles whose words appear nowhere in the reference data ----------------------------


@pytest.mark.django_db
def test_name_ranks_above_alternative_titles_above_summary_above_scope():
    word = "zorbliquant"
    assert slugs(word) == []
    # Alphabetical order is the reverse of the expected ranking, so ordering by name cannot pass this test.
    scope = make_role(
        slug="alpha",
        name="Alpha worker",
        summary="Works with families in the community.",
        scope_of_practice=f"Supports people with {word} needs in the community.",
    )
    summary = make_role(
        slug="bravo",
        name="Bravo worker",
        summary=f"Works with {word} families in the community.",
        scope_of_practice="Supports people with complex needs in the community.",
    )
    alternative = make_role(
        slug="charlie",
        name="Charlie worker",
        alternative_titles=f"{word.capitalize()} officer",
        summary="Works with families in the community.",
        scope_of_practice="Supports people with complex needs in the community.",
    )
    name = make_role(
        slug="delta",
        name=f"Delta {word} worker",
        summary="Works with families in the community.",
        scope_of_practice="Supports people with complex needs in the community.",
    )
    results = list(search_roles(Role.objects.all(), word))
    assert [role.slug for role in results] == [name.slug, alternative.slug, summary.slug, scope.slug]
    assert results[0].rank > results[1].rank > results[2].rank > results[3].rank


@pytest.mark.django_db
def test_name_match_beats_several_matches_in_scope():
    word = "plinthorax"
    scope = make_role(
        slug="aaa-scope",
        name="Aaa worker",
        scope_of_practice=f"A {word} role. Works on {word} cases and writes {word} reports.",
    )
    name = make_role(slug="zzz-name", name=f"Zzz {word}")
    assert slugs(word) == [name.slug, scope.slug]


# --- the index follows changes to roles ---------------------------------------------------------------------


def fts_rows(pk):
    """SQLite only: the FTS5 rows for a role (PostgreSQL computes its vector at query time)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM roles_role_fts WHERE rowid = %s", [pk])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_new_role_is_found():
    role = make_role(name="Glimmerstone navigator")
    assert slugs("glimmerstone") == [role.slug]


@pytest.mark.django_db
def test_renamed_role_is_found_by_its_new_name_only():
    role = make_role(name="Quorvantic adviser")
    assert slugs("quorvantic") == [role.slug]
    role.name = "Blensiform adviser"
    role.save()
    assert slugs("blensiform") == [role.slug]
    assert slugs("quorvantic") == []
    if connection.vendor == "sqlite":
        assert fts_rows(role.pk) == ["Blensiform adviser"]


@pytest.mark.django_db
def test_queryset_update_keeps_the_index_in_step():
    role = make_role(summary="Helps with wuzzlefrond.")
    assert slugs("wuzzlefrond") == [role.slug]
    Role.objects.filter(pk=role.pk).update(summary="Helps with tarnquillity.")
    assert slugs("wuzzlefrond") == []
    assert slugs("tarnquillity") == [role.slug]


@pytest.mark.django_db
def test_reference_role_renamed_keeps_other_fields_searchable():
    role = Role.objects.get(slug="physician-associate")
    role.name = "Physician associate (renamed)"
    role.save()
    assert slugs("physician assistant")[0] == "physician-associate"


@pytest.mark.django_db
def test_deleted_role_leaves_the_index():
    role = make_role(name="Snorklewise helper")
    pk = role.pk
    assert slugs("snorklewise") == [role.slug]
    role.delete()
    assert slugs("snorklewise") == []
    if connection.vendor == "sqlite":
        assert fts_rows(pk) == []
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM roles_role_fts")
            assert cursor.fetchone()[0] == Role.objects.count()
