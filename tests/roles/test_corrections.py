"""The December 2026 fact check: each corrected fact is on the role's page with the source that supports it,
and the catalogue's new roles (doctors, non-clinical team roles, other psychological professions) are shown as
the sources allow."""

import re
from html import unescape

import pytest

from roles.models import Role
from tests.factories import ROLE_SLUGS, make_role
from tests.helpers import text

pytestmark = pytest.mark.django_db

WINTERHEAD = "https://www.winterhead.co.uk/ac-approval"
MHA_S23 = "https://www.legislation.gov.uk/ukpga/1983/20/section/23"
LENG_NHS_EMPLOYERS = "https://www.nhsemployers.org/articles/recommendations-leng-review"
BPS_WIDER_WORKFORCE = "https://www.bps.org.uk/wider-psychological-workforce"
HANSARD_2002 = "https://api.parliament.uk/historic-hansard/written-answers/2002/oct/16/mental-health"
UCL_CORE_MH_PIG = "https://www.ucl.ac.uk/core-study/resources/staffing-team-procedures/29-doh-imp-guide"


def page(client, slug: str) -> str:
    """The profile's text, tags removed and entities decoded, whitespace collapsed."""
    response = client.get(f"/roles/{slug}/")
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text(response))).split())


def html(client, slug: str) -> str:
    return text(client.get(f"/roles/{slug}/"))


def sources_section(client, slug: str) -> str:
    return html(client, slug).split(">Sources</h2>", 1)[1]


def summary_value(client, slug: str, key: str) -> str:
    match = re.search(
        rf'<dt class="nhsuk-summary-list__key">{re.escape(key)}</dt><dd class="nhsuk-summary-list__value">(.*?)</dd>',
        html(client, slug),
        re.S,
    )
    assert match, f"no {key!r} row on {slug}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def unconfirmed_items(client, slug: str) -> list[str]:
    block = html(client, slug).split("Not yet confirmed", 1)
    if len(block) == 1:
        return []
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", block[1].split("</ul>", 1)[0])]


# --- the catalogue as a whole ------------------------------------------------------------------------------------


def test_at_least_36_roles_each_with_a_source():
    assert Role.objects.count() == len(ROLE_SLUGS) >= 36
    assert not Role.objects.filter(sources__isnull=True).exists()


@pytest.mark.parametrize(
    "slug",
    [
        "consultant-psychiatrist",
        "specialty-doctor-psychiatry",
        "resident-doctor-psychiatry-core",
        "resident-doctor-psychiatry-higher",
        "team-manager",
        "administrator-medical-secretary",
        "counselling-psychologist",
        "forensic-psychologist",
        "family-and-systemic-psychotherapist",
        "child-and-adolescent-psychotherapist",
        "adult-psychotherapist",
        "counsellor",
    ],
)
def test_the_new_roles_are_in_the_catalogue_with_sources(client, slug):
    role = Role.objects.get(slug=slug)
    assert role.sources.exists()
    for source in role.sources.all():
        assert f'href="{source.url}"' in sources_section(client, slug)


# --- doctors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "grade"),
    [
        ("consultant-psychiatrist", "Consultant"),
        ("specialty-doctor-psychiatry", "Specialty doctor"),
        ("resident-doctor-psychiatry-core", "Resident doctor (core training)"),
        ("resident-doctor-psychiatry-higher", "Resident doctor (higher training)"),
    ],
)
def test_doctors_are_gmc_registered_on_medical_grades_with_the_new_ways_of_working_context(client, slug, grade):
    role = Role.objects.get(slug=slug)
    assert role.regulator.slug == "gmc" and role.registered
    assert summary_value(client, slug, "Band when qualified").startswith(grade)
    assert "Statutory registration Required to practise" in page(client, slug)
    text_ = page(client, slug)
    assert "New ways of working for psychiatrists: the national programme of 2004–05" in text_
    assert "Mental Health: New Ways of Working for Everyone grew out of it" in text_
    assert "https://www.hsj.co.uk/home/new-ways-of-working-progress-report-is-launched-by-csip/54561.article" in (
        sources_section(client, slug)
    )


def test_doctors_profiles_list_the_new_ways_of_working_for_psychiatrists_report(client):
    for slug in ["consultant-psychiatrist", "resident-doctor-psychiatry-core"]:
        text_ = page(client, slug)
        assert "New Ways of Working for Psychiatrists: final report, but not the end of the story" in text_
    assert "copy on a document-sharing site" in page(client, "consultant-psychiatrist")


def test_consultants_are_approved_clinicians_section_12_approved_and_supervise_physician_associates(client):
    consultant = Role.objects.get(slug="consultant-psychiatrist")
    assert set(consultant.capabilities.values_list("slug", flat=True)) >= {"approved-clinician", "section-12-approval"}
    assert "physician-associate" in consultant.supervises.values_list("slug", flat=True)
    text_ = page(client, "consultant-psychiatrist")
    assert "Section 12 approval" in text_
    assert "Supervises: Physician associate" in text_
    assert "https://www.legislation.gov.uk/ukpga/1983/20/section/12" in sources_section(
        client, "consultant-psychiatrist"
    )
    specialty = Role.objects.get(slug="specialty-doctor-psychiatry")
    # Approved clinician and section 12 need approval (declared per line in a plan); every doctor prescribes.
    assert {link.capability.slug: link.level for link in specialty.role_capabilities.all()} == {
        "approved-clinician": "further",
        "section-12-approval": "further",
        "independent-prescribing": "core",
        "psychiatric-assessment": "core",
    }


def test_facts_the_notes_do_not_source_for_doctors_are_shown_as_not_confirmed(client):
    items = unconfirmed_items(client, "resident-doctor-psychiatry-core")
    assert any("approved clinicians or section 12" in item for item in items)
    compare = text(client.get("/roles/compare/?roles=consultant-psychiatrist,mental-health-nurse"))
    prescribing = re.search(r"<th[^>]*>\s*Prescribing(?:<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>", compare, re.S).group(
        1
    )
    # Doctors prescribe (GMC prescribing guidance): core to the role, not "Not confirmed" or "Does not prescribe".
    assert "Independent prescribing (core to the role)" in prescribing
    assert "https://www.gmc-uk.org/" in sources_section(client, "consultant-psychiatrist")


# --- non-clinical roles and unconfirmed bands -------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["team-manager", "administrator-medical-secretary"])
def test_non_clinical_roles_say_so_on_the_profile_and_in_the_list(client, slug):
    role = Role.objects.get(slug=slug)
    assert role.clinical is False
    assert summary_value(client, slug, "Clinical care") == (
        "Non-clinical role: counted in a team's staff (FTE) and cost, not in its care hours."
    )
    assert "Non-clinical</strong>" in html(client, slug)
    listing = text(client.get("/roles/?family=team-management-and-administration"))
    result = listing.split(f'id="compare-{slug}"', 1)[0].rsplit('<div class="app-result">', 1)[1]
    assert "Non-clinical</strong>" in result
    assert UCL_CORE_MH_PIG in sources_section(client, slug)


def test_a_clinical_role_is_not_tagged_non_clinical(client):
    assert summary_value(client, "mental-health-nurse", "Clinical care") == "Gives direct clinical care"
    assert "Non-clinical</strong>" not in html(client, "mental-health-nurse")


def test_a_role_with_no_confirmed_band_says_band_not_confirmed(client):
    role = Role.objects.get(slug="counsellor")
    assert role.band_min is None and role.band_max is None
    assert summary_value(client, "counsellor", "Band when qualified") == "Band not confirmed"
    listing = text(client.get("/roles/?family=psychological-professions"))
    result = listing.split('id="compare-counsellor"', 1)[0].rsplit('<div class="app-result">', 1)[1]
    assert "Band not confirmed" in result
    # ... and the list shows a confirmed range as it is
    clinical = listing.split('id="compare-clinical-psychologist"', 1)[0].rsplit('<div class="app-result">', 1)[1]
    assert "Band 7 to 9" in clinical


def test_a_new_role_with_no_bands_at_all_says_band_not_confirmed(client):
    make_role(slug="unbanded", band_min=None, band_max=None, band_trainee=None)
    assert summary_value(client, "unbanded", "Band when qualified") == "Band not confirmed"


def test_other_psychological_professions_show_their_register_as_not_confirmed(client):
    assert summary_value(client, "counselling-psychologist", "Statutory registration") == "Not confirmed"
    assert summary_value(client, "counselling-psychologist", "Regulator or register").startswith("Not confirmed")
    assert any("Regulator or register" in item for item in unconfirmed_items(client, "counselling-psychologist"))


# --- band ranges are career ranges ------------------------------------------------------------------------------


def test_clinical_psychologist_band_7_up_to_9_with_principal_and_consultant_bands(client):
    assert summary_value(client, "clinical-psychologist", "Band when qualified").startswith("Band 7 to 9")
    text_ = page(client, "clinical-psychologist")
    assert "principal clinical psychologist 8a to 8b, consultant clinical psychologist 8c to 8d" in text_
    assert "https://www.clinpsy.org.uk/" in sources_section(client, "clinical-psychologist")


def test_senior_pwp_is_band_6(client):
    assert summary_value(client, "psychological-wellbeing-practitioner", "Band when qualified").startswith(
        "Band 5 to 6"
    )
    assert "band 6 for senior psychological wellbeing practitioners" in page(
        client, "psychological-wellbeing-practitioner"
    )


@pytest.mark.parametrize(
    ("slug", "shown"),
    [
        ("cbt-therapist", "Band 7 or above (upper band not confirmed)"),
        ("mental-health-and-wellbeing-practitioner", "Band 5 or above (upper band not confirmed)"),
        ("childrens-wellbeing-practitioner", "Band 5 or above (upper band not confirmed)"),
        ("education-mental-health-practitioner", "Band 5 or above (upper band not confirmed)"),
        ("mental-health-nurse", "Band 5 or above (upper band not confirmed)"),
    ],
)
def test_entry_bands_are_not_maxima(client, slug, shown):
    assert summary_value(client, slug, "Band when qualified").startswith(shown)


# --- registered in another role ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["approved-clinician", "advanced-practitioner"])
def test_approved_clinicians_and_advanced_practitioners_count_as_registered(client, slug):
    role = Role.objects.get(slug=slug)
    assert role.registered and role.regulator is None
    assert role.registration_note.startswith("Counted as registered:")
    assert summary_value(client, slug, "Statutory registration") == "Required to practise"
    regulator = summary_value(client, slug, "Regulator or register")
    assert regulator.startswith("No register of its own: registered in the professional's own profession")
    assert "Counted as registered: " in regulator and "registered professional" in regulator


# --- facts to correct -------------------------------------------------------------------------------------------


def test_physician_associates_leng_review_two_years_in_secondary_care(client):
    text_ = page(client, "physician-associate")
    assert (
        "newly qualified physician associates spend two years in secondary care before working in primary care "
        "or a mental health trust (NHS Employers)"
    ) in text_
    assert "at least two years' experience before working in primary care" not in text_
    assert f'href="{LENG_NHS_EMPLOYERS}"' in sources_section(client, "physician-associate")


def test_physician_associates_government_accepted_all_18_recommendations(client):
    text_ = page(client, "physician-associate")
    assert "The government accepted all 18 recommendations on 16 July 2025" in text_
    assert "Parliament written answer HL9760" in text_
    assert not any("accepted" in item for item in unconfirmed_items(client, "physician-associate"))


def test_physician_associates_mandatory_gmc_registration_by_december_2026(client):
    assert "registration with the GMC is mandatory by December 2026" in summary_value(
        client, "physician-associate", "Regulator or register"
    )
    assert (
        "https://www.gmc-uk.org/news/news-archive/regulation-of-physician-associates-and-anaesthesia-associates-begins"
        in (sources_section(client, "physician-associate"))
    )


def test_physician_associates_2026_consultation_on_physician_assistant(client):
    text_ = page(client, "physician-associate")
    assert (
        "consulted, until 23 June 2026, on a draft General Medical Council Order to protect the title "
        '"physician assistant"' in text_
    )
    assert any(
        "physician assistant" in item and "law" in item for item in unconfirmed_items(client, "physician-associate")
    )


def test_physician_associates_are_supervised_by_a_named_consultant_psychiatrist(client):
    text_ = page(client, "physician-associate")
    assert "Supervised by a named consultant psychiatrist." in text_
    assert "Supervised by: Consultant psychiatrist" in text_
    assert "The catalogue has no consultant psychiatrist profile" not in text_


def test_approved_clinician_discharge_by_hospital_managers_nearest_relative_and_tribunal(client):
    text_ = page(client, "approved-clinician")
    assert "Only a responsible clinician can renew a patient's detention, discharge them" not in text_
    assert (
        "the hospital managers and the nearest relative can also order discharge (Mental Health Act 1983, "
        "section 23), and so can the Tribunal"
    ) in text_
    assert f'href="{MHA_S23}"' in sources_section(client, "approved-clinician")


def test_approved_clinician_cto_needs_an_amhps_agreement_is_shown_as_not_yet_confirmed(client):
    items = unconfirmed_items(client, "approved-clinician")
    assert any("community treatment order needs an AMHP's agreement" in item for item in items)


def test_approved_clinician_mental_health_act_2025(client):
    text_ = page(client, "approved-clinician")
    assert "The Mental Health Act 2025 received Royal Assent on 18 December 2025" in text_
    assert 'replaces the nearest relative with a "nominated person"' in text_
    sources = sources_section(client, "approved-clinician")
    assert 'href="https://www.brownejacobson.com/"' in sources
    assert re.search(r"brownejacobson\.com/\">[^<]*</a>[^<]*<strong[^>]*>Secondary source", sources)


def test_occupational_therapists_approved_clinician_eligibility_has_no_service_condition(client):
    text_ = page(client, "occupational-therapist")
    assert "when working in mental health or learning disability services" not in text_
    assert "with no condition about working in mental health or learning disability services" in text_
    link = Role.objects.get(slug="occupational-therapist").role_capabilities.get(capability__slug="approved-clinician")
    assert link.source_url == WINTERHEAD
    assert f'href="{WINTERHEAD}"' in sources_section(client, "occupational-therapist")
    assert "occupational therapists in mental health or learning disability services" not in page(
        client, "approved-clinician"
    )


def test_think_ahead_last_cohort_2025(client):
    text_ = page(client, "social-worker")
    assert "the 2025 cohort is the last, and the programme ends in August 2027 (Community Care, 30 April 2025)" in text_
    assert not any("Think Ahead" in item for item in unconfirmed_items(client, "social-worker"))
    assert "the decision of April 2025: the 2025 cohort is the last, reported by Community Care on 30 April 2025" in (
        sources_section(client, "social-worker")
    )


def test_mhwp_registration_now_required(client):
    note = summary_value(client, "mental-health-and-wellbeing-practitioner", "Regulator or register")
    assert "Registration on the BPS register is now required" in note
    assert "30 June 2026, has passed" in note
    assert "https://www.bps.org.uk/news/join-new-register-mental-health-and-wellbeing-practitioners" in (
        sources_section(client, "mental-health-and-wellbeing-practitioner")
    )


@pytest.mark.parametrize("slug", ["childrens-wellbeing-practitioner", "education-mental-health-practitioner"])
def test_cwp_and_emhp_registration_now_required(client, slug):
    note = summary_value(client, slug, "Regulator or register")
    assert "Registration is now required: NHS England requires the wider psychological workforce" in note
    assert f'href="{BPS_WIDER_WORKFORCE}"' in sources_section(client, slug)


def test_family_ambassadors_many_of_whom_have_lived_experience(client):
    text_ = page(client, "family-ambassador")
    assert "many of them have lived experience as a parent or carer" in text_
    assert "A parent or carer with lived experience who" not in text_
    assert "parents and carers with lived experience who give peer support" not in text_


def test_primary_care_graduate_workers_figure(client):
    text_ = page(client, "primary-care-graduate-mental-health-worker")
    assert "1,000 workers by 2004 (confirmed in a parliamentary written answer of 2002)" in text_
    assert "helping 300,000 people" not in text_.split("Not yet confirmed")[0].split("Scope of practice")[-1]
    assert any("300,000" in item for item in unconfirmed_items(client, "primary-care-graduate-mental-health-worker"))
    assert f'href="{HANSARD_2002}"' in sources_section(client, "primary-care-graduate-mental-health-worker")
    assert "1,000 workers by 2004</li>" in sources_section(client, "primary-care-graduate-mental-health-worker")


SCRAPER_HOSTS = ("vdocuments.", "vdocument.in", "viewer.joomag.com", "kipdf.com")


def test_document_scraper_copies_job_adverts_and_login_pages_are_marked_secondary():
    from roles.models import RoleSource

    flagged = [
        source
        for source in RoleSource.objects.all()
        if any(host in source.url for host in SCRAPER_HOSTS)
        or "newcastle-hospitals.org.uk/jobs" in source.url
        or "totara/dashboard" in source.url
    ]
    assert len(flagged) >= 8
    for source in flagged:
        assert source.secondary, source.url
        assert any(words in source.title for words in ("copy on a document-sharing site", "job advert", "login-only"))


def test_a_scraper_copy_is_shown_as_secondary_on_the_page(client):
    sources = sources_section(client, "assistant-practitioner")
    assert re.search(
        r'href="https://vdocument\.in/[^"]+">[^<]*copy on a document-sharing site \(vdocument\.in\), not the original '
        r"publisher</a>[^<]*<strong[^>]*>Secondary source",
        sources,
    )


def test_hee_pages_that_moved_since_the_2023_merger_are_marked_archived(client):
    sources = sources_section(client, "lived-experience-connector")
    entry = sources.split(
        "https://www.hee.nhs.uk/our-work/mental-health/new-roles-mental-health/lived-experience-connector", 1
    )[1]
    entry = entry.split("</li>", 1)[0]
    assert "Archived address" in entry and "HEE merged into NHS England in 2023" in entry
    # a page on another host carries no such note
    nmc = sources_section(client, "nursing-associate").split("https://www.nmc.org.uk/standards/nursing-associates/", 1)[
        1
    ]
    assert "Archived address" not in nmc.split("</li>", 1)[0]
