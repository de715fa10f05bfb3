"""Anonymous public pages from the cache (`nwwmh_portal/page_cache.py`), and the content version that makes every
change show at once (`nwwmh_portal/content_version.py`).

`.ci/run` runs this folder a second time with `CACHE_URL=redis://127.0.0.1:6379/1`, so the Redis path is tested too.
"""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from nwwmh_portal import content_version, page_cache
from nwwmh_portal.cache_settings import CacheUrlError, caches_from_env
from planning.models import GuidanceTarget
from roles import revisions
from roles.models import CaseStudy, Resource, Role
from tests.factories import make_user
from tests.helpers import form_values

pytestmark = pytest.mark.django_db

HIT, MISS = "HIT", "MISS"


def cached(response) -> str | None:
    return response.get(page_cache.HEADER)


def make_case_study(author, *, status, slug="cached-story", title="A cached story") -> CaseStudy:
    case_study = CaseStudy.objects.create(
        title=title,
        slug=slug,
        organisation="An NHS trust",
        setting=CaseStudy.Setting.COMMUNITY,
        year=2024,
        summary="Summary text.",
        body="Body text.",
        source_url="https://example.nhs.uk/story",
        source_title="The story",
        created_by=author,
        updated_by=author,
        status=status,
    )
    case_study.roles.add(Role.objects.get(slug="peer-support-worker"))
    return case_study


PUBLIC_PAGES = [
    "/",
    "/roles/",
    "/roles/?q=prescribing",
    "/roles/?family=nursing&registered=true",
    "/roles/peer-support-worker/",
    "/roles/compare/?roles=peer-support-worker,mental-health-nurse",
    "/case-studies/",
    "/resources/",
    "/accessibility/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_an_anonymous_public_page_is_rendered_once_then_served_from_the_cache(client, path, django_assert_num_queries):
    first = client.get(path)
    assert first.status_code == 200 and cached(first) == MISS
    with django_assert_num_queries(0):  # no session, no user, no query: the stored page
        second = client.get(path)
    assert cached(second) == HIT
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    # The headers the rest of the stack gave the page are replayed with it.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "Vary"):
        assert second[header] == first[header], header
    assert "'unsafe-inline'" not in second["Content-Security-Policy"]


def test_each_query_string_is_its_own_page(client):
    nurses = client.get("/roles/?q=nurse")
    client.get("/roles/?q=pharmacy")
    again = client.get("/roles/?q=nurse")
    assert cached(again) == HIT and again.content == nurses.content
    assert client.get("/roles/?q=pharmacy").content != nurses.content


def test_a_matching_etag_or_date_is_answered_304_without_a_body(client):
    page = client.get("/roles/")
    assert page["Cache-Control"] == "no-cache"  # browsers ask again every time
    not_modified = client.get("/roles/", headers={"if-none-match": page["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == page["ETag"]
    assert client.get("/roles/", headers={"if-none-match": '"something-else"'}).status_code == 200
    assert client.get("/roles/", headers={"if-modified-since": page["Last-Modified"]}).status_code == 304
    # The very first request may already be conditional (another worker served the page before).
    content_version.bump()
    first = client.get("/roles/", headers={"if-none-match": page["ETag"]})
    assert first.status_code == 304 and cached(first) == MISS


def test_an_etag_stops_matching_when_the_page_changes(client):
    page = client.get("/roles/peer-support-worker/")
    role = Role.objects.get(slug="peer-support-worker")
    role.summary = "A summary a curator just wrote."
    role.save()
    again = client.get("/roles/peer-support-worker/", headers={"if-none-match": page["ETag"]})
    assert again.status_code == 200 and b"A summary a curator just wrote." in again.content


def test_publishing_a_case_study_shows_at_once(client):
    author = make_user("author", groups=["Curators"], staff=True)
    publisher = make_user("publisher", groups=["Publishers"], staff=True)
    story = make_case_study(author, status=CaseStudy.Status.IN_REVIEW)
    for path in ("/", "/case-studies/", "/roles/peer-support-worker/"):
        client.get(path)
        assert cached(client.get(path)) == HIT and b"A cached story" not in client.get(path).content
    assert client.get("/case-studies/cached-story/").status_code == 404  # not published yet: never stored
    make_user("unrelated")  # a change that is not content leaves the stored pages in use
    assert cached(client.get("/")) == HIT

    publisher_client = type(client)()
    publisher_client.force_login(publisher)
    response = publisher_client.post(f"/admin/roles/casestudy/{story.pk}/transition/publish/", {"comment": "Good"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == CaseStudy.Status.PUBLISHED

    for path in ("/", "/case-studies/", "/roles/peer-support-worker/"):
        page = client.get(path)
        assert cached(page) == MISS and b"/case-studies/cached-story/" in page.content, path
    assert client.get("/case-studies/cached-story/").status_code == 200


def test_a_curators_change_to_a_role_shows_once_a_publisher_approves_it(client):
    role = Role.objects.get(slug="peer-support-worker")
    before = client.get("/roles/peer-support-worker/")
    listing = client.get("/roles/")
    assert cached(client.get("/roles/peer-support-worker/")) == HIT
    curator = type(client)()
    curator.force_login(make_user("curator", groups=["Curators"], staff=True))
    change_url = f"/admin/roles/role/{role.pk}/change/"
    html = curator.get(change_url).content.decode()
    change_form = html[html.rindex("<form", 0, html.index('id="role_form"')) :]  # not the header's log out form
    values = form_values(SimpleNamespace(content=change_form.encode()))
    values["name"] = "Peer support worker (renamed)"
    values["summary"] = "A curator's new summary."
    response = curator.post(change_url, values)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Four eyes: the change waits for a publisher, and the public page keeps the published version meanwhile.
    assert client.get("/roles/peer-support-worker/").content == before.content
    revision = revisions.pending_for(instance=role).get()
    revisions.approve(revision=revision, user=make_user("publisher", groups=["Publishers"], staff=True))
    page = client.get("/roles/peer-support-worker/")
    assert cached(page) == MISS and page.content != before.content
    assert b"A curator&#x27;s new summary." in page.content
    assert b"Peer support worker (renamed)" in client.get("/roles/").content
    assert client.get("/roles/").content != listing.content


def test_a_many_to_many_change_of_a_role_shows_at_once(client):
    client.get("/roles/peer-support-worker/")
    role = Role.objects.get(slug="peer-support-worker")
    other = Role.objects.exclude(pk=role.pk).exclude(related_roles=role).order_by("name").first()
    role.related_roles.add(other)
    page = client.get("/roles/peer-support-worker/")
    assert cached(page) == MISS and other.get_absolute_url().encode() in page.content


def test_planning_reference_data_is_content_too(client):
    """Role pages show national figures from the planning app's guidance targets."""
    client.get("/roles/peer-support-worker/")
    target = GuidanceTarget.objects.filter(scope=GuidanceTarget.Scope.NATIONAL).first()
    before = content_version.current()
    target.label = target.label + " (revised)"
    target.save()
    assert content_version.current() > before
    assert cached(client.get("/roles/peer-support-worker/")) == MISS


def test_load_reference_data_shows_at_once(client):
    resource = Resource.objects.order_by("slug").first()
    original = resource.title
    page = client.get("/resources/")
    assert original.encode() in page.content or original.replace("'", "&#x27;").encode() in page.content
    # A bulk update sends no signal, so the stored page is still served...
    Resource.objects.filter(pk=resource.pk).update(title="A title nobody wrote")
    assert cached(client.get("/resources/")) == HIT
    # ... until the reference data is loaded again, which puts the file's version back and refreshes the pages.
    call_command("load_reference_data", "--update", verbosity=0)
    page = client.get("/resources/")
    assert cached(page) == MISS
    assert b"A title nobody wrote" not in page.content


def test_load_reference_data_moves_the_version_on_even_when_nothing_was_added():
    before = content_version.current()
    call_command("load_reference_data", verbosity=0)
    assert content_version.current() > before


def test_a_logged_in_user_never_gets_a_stored_page_nor_leaves_one(client):
    anonymous = client.get("/")
    assert cached(client.get("/")) == HIT
    alice, bob = make_user("alice-lead"), make_user("bob-viewer")
    for user in (alice, bob):
        own = type(client)()
        own.force_login(user)
        page = own.get("/")
        assert page.status_code == 200 and cached(page) is None
        assert user.username.encode() in page.content
        assert b"alice-lead" in page.content if user == alice else b"alice-lead" not in page.content
    # Nothing a logged-in user saw was stored for anyone else.
    page = client.get("/")
    assert cached(page) == HIT and page.content == anonymous.content
    assert b"alice-lead" not in page.content and b"bob-viewer" not in page.content
    assert b"Log out" not in page.content


def test_a_page_first_seen_by_a_logged_in_user_is_rendered_afresh_for_anonymous_visitors(client):
    logged_in = type(client)()
    logged_in.force_login(make_user("first-visitor"))
    assert b"first-visitor" in logged_in.get("/case-studies/").content
    page = client.get("/case-studies/")
    assert cached(page) == MISS and b"first-visitor" not in page.content


def test_requests_with_a_session_or_credentials_bypass_the_cache(client):
    client.get("/")
    assert cached(client.get("/")) == HIT
    client.cookies["sessionid"] = "not-a-real-session"
    assert cached(client.get("/")) is None
    del client.cookies["sessionid"]
    assert cached(client.get("/", headers={"authorization": "Bearer something"})) is None
    client.cookies["messages"] = "anything"
    assert cached(client.get("/")) is None
    del client.cookies["messages"]
    assert cached(client.head("/")) is None


@pytest.mark.parametrize("path", ["/planning/", "/accounts/login/", "/admin/", "/admin/login/", "/healthz"])
def test_private_pages_are_never_stored(client, path):
    client.get(path)
    assert cached(client.get(path)) is None


def test_error_pages_and_pages_that_set_cookies_are_never_stored(client):
    assert client.get("/roles/no-such-role/").status_code == 404
    assert cached(client.get("/roles/no-such-role/")) is None
    assert client.get("/roles/?family=no-such-family").status_code == 400
    assert cached(client.get("/roles/?family=no-such-family")) is None


def test_only_responses_the_same_for_everyone_may_be_stored(rf: RequestFactory):
    def request():
        made = rf.get("/roles/")
        made.resolver_match = type("Match", (), {"namespaces": ["roles"], "view_name": "roles:list"})()
        return made

    def ok(**headers):
        response = HttpResponse(b"page")
        for name, value in headers.items():
            response[name] = value
        return response

    assert page_cache.may_store(request(), ok())
    with_cookie = ok()
    with_cookie.set_cookie("csrftoken", "x")
    assert not page_cache.may_store(request(), with_cookie)
    assert not page_cache.may_store(request(), ok(**{"Cache-Control": "private"}))
    assert not page_cache.may_store(request(), ok(**{"Vary": "Cookie, Accept-Language"}))
    assert page_cache.may_store(request(), ok(**{"Vary": "Cookie"}))
    assert not page_cache.may_store(request(), HttpResponse(b"gone", status=404))
    # A page that used the request's CSP nonce must never reach anyone else with that nonce in it.
    nonce_request = request()
    nonce_request._csp_nonce = "abc123"
    assert not page_cache.may_store(nonce_request, ok())
    csp = "script-src 'self' 'nonce-abc123'"
    assert not page_cache.may_store(request(), ok(**{"Content-Security-Policy": csp}))
    private = rf.get("/planning/")
    private.resolver_match = type("Match", (), {"namespaces": ["planning"], "view_name": "planning:home"})()
    assert not page_cache.may_store(private, ok())


def test_pages_carry_no_csp_nonce(client):
    """The policy has no nonce (nothing inline at all), so replaying a page never replays someone's nonce."""
    page = client.get("/")
    assert "nonce-" not in page["Content-Security-Policy"]
    assert b"nonce=" not in page.content


def test_the_content_version_only_goes_up_and_survives_losing_its_key():
    first = content_version.current()
    content_version.bump()
    second = content_version.current()
    assert second > first
    from django.core.cache import caches

    caches[content_version.CACHE_ALIAS].delete(content_version.KEY)
    third = content_version.current()
    assert third > second  # a lost number is replaced by a later one: nothing stored before is reused
    assert content_version.current() == third


def test_without_a_reachable_cache_pages_are_rendered_and_edits_still_work(client, settings):
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = {"default": unreachable, "content_version": unreachable}
    assert content_version.current() is None
    for _ in range(2):
        page = client.get("/roles/")
        assert page.status_code == 200 and cached(page) is None
    role = Role.objects.get(slug="peer-support-worker")
    role.summary = "Saved while the cache is down."
    role.save()  # the signal's bump fails quietly: the edit is kept
    assert b"Saved while the cache is down." in client.get("/roles/peer-support-worker/").content


def test_cache_url_chooses_the_backend(tmp_path):
    local = caches_from_env(cache_url="", cache_dir=tmp_path, key_prefix="p")
    assert local["default"]["BACKEND"].endswith("LocMemCache")
    assert local["content_version"]["BACKEND"].endswith("FileBasedCache")  # shared by every local process
    redis = caches_from_env(cache_url="redis://127.0.0.1:6379/1", cache_dir=tmp_path, key_prefix="p")
    assert {alias["BACKEND"] for alias in redis.values()} == {"django.core.cache.backends.redis.RedisCache"}
    assert redis["default"]["KEY_PREFIX"] != redis["content_version"]["KEY_PREFIX"]
    with pytest.raises(CacheUrlError):
        caches_from_env(cache_url="memcached://127.0.0.1", cache_dir=tmp_path, key_prefix="p")
