"""Flagging a note: once per reader, with a reason; every bad flag is a clear 4xx that changes nothing."""

import pytest
from django.urls import reverse

from annotations.models import Notification
from moderation.models import AuditEntry, Flag


def flag_url(note):
    return reverse("moderation-flag", args=[note.pk])


def nothing_recorded():
    return Flag.objects.count() == 0 and AuditEntry.objects.filter(action="flag").count() == 0


def test_bob_flags_alices_public_note_and_alice_is_not_told_who(client, world, bob, alice):
    note = world.notes["public"]
    client.force_login(bob)
    response = client.post(flag_url(note), {"reason": "other", "explanation": "An  advert\nfor shoes."})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.flagger, flag.reason, flag.explanation) == (bob, "other", "An advert for shoes.")
    assert not Notification.objects.filter(recipient=alice, annotation=note).exists()
    client.force_login(alice)
    assert "bob" not in client.get(note.get_absolute_url().split("#")[0]).content.decode().split("<main", 1)[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a reason"),
        ({"reason": "boring"}, "Choose a reason"),
        ({"reason": "other"}, "needs a few words"),
        ({"reason": "other", "explanation": "   "}, "needs a few words"),
        ({"reason": "spam", "explanation": "x" * 301}, "at most 300 characters"),
    ],
)
def test_a_flag_with_a_bad_reason_is_refused_with_a_message(client, world, bob, data, message):
    client.force_login(bob)
    response = client.post(flag_url(world.notes["public"]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_recorded()


def test_alice_cannot_flag_her_own_note(client, world, alice):
    client.force_login(alice)
    response = client.post(flag_url(world.notes["public"]), {"reason": "spam"})
    assert response.status_code == 400
    assert "cannot flag your own note" in response.content.decode()
    assert nothing_recorded()


def test_a_note_the_reader_cannot_see_cannot_be_flagged(client, world, charlie):
    client.force_login(charlie)
    for kind in ("private", "seminar", "hidden", "pending"):
        assert client.post(flag_url(world.notes[kind]), {"reason": "spam"}).status_code == 404
    assert nothing_recorded()


def test_flagging_twice_is_a_409_and_keeps_the_first_flag(client, world, bob):
    client.force_login(bob)
    client.post(flag_url(world.notes["public"]), {"reason": "spam"})
    response = client.post(flag_url(world.notes["public"]), {"reason": "abusive"})
    assert response.status_code == 409
    assert "flagged this note already" in response.content.decode()
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]
    assert AuditEntry.objects.filter(action="flag").count() == 1


def test_the_flag_form_with_htmx_is_the_form_alone_and_its_errors_stay_in_it(client, world, bob):
    client.force_login(bob)
    form = client.get(flag_url(world.notes["public"]), headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    assert 'name="reason"' in form.content.decode()
    refused = client.post(flag_url(world.notes["public"]), {"reason": "other"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "<html" not in body
    assert 'role="alert"' in body
    assert "checked" in body
    done = client.post(flag_url(world.notes["public"]), {"reason": "spam"}, headers={"HX-Request": "true"})
    assert done.status_code == 200
    assert "moderators will look" in done.content.decode()


def test_flagging_needs_a_signed_in_reader_and_a_post(client, world, bob):
    response = client.post(flag_url(world.notes["public"]), {"reason": "spam"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(bob)
    assert client.put(flag_url(world.notes["public"])).status_code == 405
    assert nothing_recorded()


def test_the_card_offers_flag_to_other_readers_not_to_the_author(client, world, alice, bob):
    url = world.notes["public"].get_absolute_url().split("#")[0]
    client.force_login(bob)
    assert flag_url(world.notes["public"]) in client.get(url).content.decode()
    client.force_login(alice)
    assert flag_url(world.notes["public"]) not in client.get(url).content.decode()
