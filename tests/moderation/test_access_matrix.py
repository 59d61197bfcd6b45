"""Every new path × every person × every kind of note: nobody sees or acts on what they may not,
and a refused request changes nothing (the note as it was, no audit entry)."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from moderation.models import AuditEntry, Flag
from tests.moderation.conftest import KINDS, MODERATES, ROLES, SEES

STATE = ["hidden", "hidden_reason", "pending", "featured_at", "feature_declined"]


def state(note):
    note = Annotation.objects.get(pk=note.pk)
    return [getattr(note, name) for name in STATE]


def expected(role, kind, action):
    """The status the request should get: 302 done (back to a page), 4xx refused."""
    if role == "anonymous":
        return 302  # to the sign-in page
    if kind not in SEES[role]:
        return 404
    mine = role == "author"
    if action == "flag":
        return 400 if mine else 302
    if action == "resubmit":
        return (302 if kind == "hidden" else 400) if mine else 403
    if kind not in MODERATES.get(role, set()):
        return 403
    return {
        "dismiss": 302,
        "hide": 302,
        "unhide": 302 if kind == "hidden" else 400,
        "approve": 302 if kind == "pending" else 400,
        "feature": 400 if kind in ("hidden", "pending") else 302,
        "suspend": 302 if role == "staff" else 403,
    }[action]


ACTIONS = ["flag", "dismiss", "hide", "unhide", "approve", "feature", "suspend", "resubmit"]
DATA = {"flag": {"reason": "spam"}, "hide": {"reason": "Not about the text."}, "feature": {"reason": "Clear."}}
DATA["suspend"] = {"reason": "Spam, again and again."}


@pytest.fixture
def flagged(world, charlie):
    """Every note carries an open flag (made directly: charlie cannot see most of them)."""
    for note in world.notes.values():
        Flag.objects.create(annotation=note, flagger=charlie, reason="spam")
    return world


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_each_act_is_done_only_by_whom_the_rules_allow(flagged, as_role, role, kind, action):
    note = flagged.notes[kind]
    before, entries = state(note), AuditEntry.objects.count()
    client = as_role(role)
    if role == "stranger" and action == "flag" and kind == "public":
        Flag.objects.filter(flagger=flagged.person("stranger")).delete()  # charlie's setup flag would be a second
    response = client.post(reverse(f"moderation-{action}", args=[note.pk]), DATA.get(action, {}))
    want = expected(role, kind, action)
    assert response.status_code == want, response.content.decode()[:500]
    if want == 302 and role != "anonymous":
        assert AuditEntry.objects.count() == entries + 1
    else:
        assert state(note) == before
        assert AuditEntry.objects.count() == entries
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_lists_only_the_notes_each_person_moderates(flagged, as_role, role):
    response = as_role(role).get(reverse("moderation-queue"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    moderates = MODERATES.get(role, set())
    if not moderates and role != "other_instructor":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.content.decode()
    for kind in KINDS:
        assert (f"{kind.capitalize()} thought." in body) == (kind in moderates), kind
        assert (str(flagged.notes[kind].pk) in body) == (kind in moderates), kind


@pytest.mark.parametrize("role", ROLES)
def test_the_audit_log_shows_each_moderator_their_part_only(world, as_role, role, bob, curator):
    from moderation import flagging

    flagging.flag(bob, world.notes["seminar"], "off_topic")
    flagging.flag(bob, world.notes["public"], "other", "An advert for shoes.")
    response = as_role(role).get(reverse("moderation-log"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role in ("author", "flagger", "stranger"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {entry.annotation_id for entry in response.context["entries"]}
    ids = {kind: note.pk for kind, note in world.notes.items()}
    if role == "instructor":
        assert shown == {ids["seminar"]}
    elif role == "staff":
        assert shown == {ids["public"], ids["hidden"]}
    else:
        assert shown == set()
    body = response.content.decode()
    assert ("An advert for shoes." in body) == (role == "staff")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_the_flag_form_opens_only_on_notes_the_reader_sees(world, as_role, role, kind):
    response = as_role(role).get(reverse("moderation-flag", args=[world.notes[kind].pk]))
    want = 302 if role == "anonymous" else 200 if kind in SEES[role] else 404
    assert response.status_code == want
