"""The plan editor's hidden JSON fields (the values each part started from) are written by the editor; deeply
nested JSON posted in their place is refused with 400 before it is decoded, never a server error."""

import pytest

from planning import conflicts
from planning.models import Plan
from tests.factories import client_for, make_world
from tests.helpers import edit_url, editor_values

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.parametrize("field", ["staffing-base", "base", "demand-complex-base"])
@pytest.mark.parametrize("stale", [False, True], ids=["current", "stale"])
@pytest.mark.parametrize("payload", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deeply_nested_hidden_fields_are_a_400_and_change_nothing(world, field, stale, payload):
    client = client_for(world.lead)
    values = editor_values(client, world.plan)
    assert field in values
    if stale:  # a stale version takes the conflict page's path, which merges every base
        Plan.objects.filter(pk=world.plan.pk).update(version=2)
    values.update({field: payload, "notes": "tampered"})
    response = client.post(edit_url(world.plan), values)
    assert response.status_code == 400
    assert Plan.objects.get(pk=world.plan.pk).notes == ""


def test_nesting_is_measured_outside_strings_and_the_editors_own_bases_still_decode():
    assert conflicts.decode_base('{"notes": "[[[[{{{{"}') == {"notes": "[[[[{{{{"}
    assert conflicts.decode_base('{"notes": "\\"[[["}') == {"notes": '"[[['}
    assert conflicts.decode_staffing_base('{"3": {"fte": "1", "notes": "]]]}}}"}}') == {
        "3": {"fte": "1", "notes": "]]]}}}"}
    }
    with pytest.raises(conflicts.BadBase):
        conflicts.decode_base('{"fte": {"nested": "1"}}')
    with pytest.raises(conflicts.BadBase):
        conflicts.decode_staffing_base('{"3": {"fte": ["1"]}}')
    with pytest.raises(conflicts.BadBase):
        conflicts.decode_base('"' + "x" * conflicts.MAX_BASE_CHARS + '"')
