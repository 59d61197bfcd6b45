"""Featured notes, pre-moderation, and what the author of a hidden or pending note is told."""

import pytest
from django.test import override_settings
from django.urls import reverse

from annotations import discussion, moderating
from annotations.models import Annotation, Notification
from annotations.writing import NoteError, create_reply
from tests.annotations.factories import note_on_paragraph, prose


def page(client, note):
    return client.get(note.article.get_absolute_url()).content.decode()


def test_a_featured_note_has_a_badge_comes_first_in_its_paragraph_and_is_a_curators_pick(
    client, article, alice, bob, curator
):
    paragraph = prose(article)[0]
    early = note_on_paragraph(bob, article, paragraph, 0, 10, comment="The early note.", visibility="public")
    late = note_on_paragraph(alice, article, paragraph, 30, 40, comment="The later note.", visibility="public")
    moderating.feature(curator, late, "Reads the date right.")
    client.force_login(bob)
    body = page(client, late)
    assert body.index("The later note.") < body.index("The early note.")
    assert "Curator&#x27;s picks" in body or "Curator's picks" in body
    assert "Reads the date right." in body
    assert "badge-featured" in body
    listed = client.get(reverse("annotation-list", args=[article.slug, paragraph.key])).content.decode()
    assert listed.index("The later note.") < listed.index("The early note.")
    assert Notification.objects.filter(recipient=alice, annotation=late, kind="featured").exists()
    assert early.pk  # bob's note stays where it was


def test_the_author_withdraws_a_note_from_featuring_for_good(client, world, alice, curator):
    note = world.notes["public"]
    moderating.feature(curator, note, "Good.")
    client.force_login(alice)
    assert "Withdraw it from featuring" in page(client, note)
    assert client.post(reverse("moderation-withdraw", args=[note.pk])).status_code == 302
    note.refresh_from_db()
    assert (note.featured_at, note.feature_declined) == (None, True)
    client.force_login(curator)
    refused = client.post(reverse("moderation-feature", args=[note.pk]), {"reason": "Good."})
    assert refused.status_code == 400
    assert "withdrew this note" in refused.content.decode()


@pytest.mark.parametrize(("reason", "message"), [("", "Give a reason"), ("x" * 201, "at most 200 characters")])
def test_featuring_needs_a_short_reason(client, world, curator, reason, message):
    client.force_login(curator)
    response = client.post(reverse("moderation-feature", args=[world.notes["public"].pk]), {"reason": reason})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Annotation.objects.get(pk=world.notes["public"].pk).featured_at is None


def test_the_author_of_a_hidden_note_reads_why_and_asks_again_after_editing(client, world, alice, bob, curator):
    note = world.notes["hidden"]
    client.force_login(alice)
    body = page(client, note)
    assert "A moderator hid this note: “Off-topic here.”" in body
    assert "Ask to show it again" in body
    client.force_login(bob)
    assert "Off-topic here." not in page(client, note)
    client.force_login(alice)
    assert client.post(reverse("moderation-resubmit", args=[note.pk])).status_code == 302
    note.refresh_from_db()
    assert (note.hidden, note.pending) == (False, True)
    assert "waits for a moderator" in page(client, note)
    client.force_login(curator)
    assert "Hidden before: “Off-topic here.”" in client.get(reverse("moderation-queue")).content.decode()


@override_settings(PREMODERATE_PUBLIC_NOTES=True)
def test_with_public_pre_moderation_a_readers_public_note_waits_but_stafs_does_not(
    client, article, alice, bob, curator
):
    waiting = note_on_paragraph(alice, article, prose(article)[0], comment="Wait for me.", visibility="public")
    own = note_on_paragraph(curator, article, prose(article)[1], comment="Staff's own.", visibility="public")
    assert (waiting.pending, own.pending) == (True, False)
    assert list(Annotation.objects.visible_to(bob).values_list("comment", flat=True)) == ["Staff's own."]
    assert set(Annotation.objects.visible_to(alice).values_list("comment", flat=True)) == {
        "Wait for me.",
        "Staff's own.",
    }
    assert Annotation.objects.visible_to(curator).filter(pk=waiting.pk).exists()
    client.logout()
    assert "Wait for me." not in page(client, waiting)


def test_a_reply_in_a_pre_moderated_seminar_waits_and_so_do_the_replies_below_it(world, bob, alice):
    parent = world.notes["seminar"]
    reply = create_reply(bob, parent, comment="Bob answers.")
    assert reply.pending
    below = create_reply(bob, reply, comment="Bob again.")
    reply.pending = False  # as if approved; the one below still waits
    Annotation.objects.filter(pk=reply.pk).update(pending=False)
    assert below.pending
    assert not Annotation.objects.visible_to(alice).filter(pk=below.pk).exists()
    assert Annotation.objects.visible_to(world.person("instructor")).filter(pk=below.pk).exists()
    assert Annotation.objects.visible_to(bob).filter(pk=below.pk).exists()


def test_a_pending_replys_own_replies_are_hidden_with_it(world, bob, alice):
    """A reader who could reply below a pending reply (its moderator) does not make it public by replying."""
    irene = world.person("instructor")
    reply = create_reply(bob, world.notes["seminar"], comment="Bob answers.")
    below = create_reply(irene, reply, comment="The instructor answers Bob.")
    assert not below.pending  # the instructor's own note does not wait
    assert not Annotation.objects.visible_to(alice).filter(pk__in=[reply.pk, below.pk]).exists()
    # As below a hidden reply: only the moderators and each reply's own author see what is under it.
    assert list(Annotation.objects.visible_to(bob).filter(pk__in=[reply.pk, below.pk])) == [reply]


def test_an_instructor_cannot_hide_a_public_note_nor_feature_a_private_one(world):
    irene = world.person("instructor")
    with pytest.raises(Exception, match=r"moderate|hide"):
        discussion.hide(irene, world.notes["public"], "No.")
    with pytest.raises(Exception, match="moderate"):
        moderating.feature(irene, world.notes["private"], "No.")
    with pytest.raises(NoteError, match="not awaiting"):
        moderating.approve(irene, world.notes["seminar"])


def test_a_moderator_hides_with_a_reason_from_the_card_through_the_reason_page(client, world, alice, curator):
    note = world.notes["public"]
    client.force_login(curator)
    assert reverse("moderation-hide", args=[note.pk]) in page(client, note)
    form = client.get(reverse("moderation-hide", args=[note.pk]))
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    done = client.post(reverse("moderation-hide", args=[note.pk]), {"reason": "Rude.", "next": "https://evil.example/"})
    assert done.status_code == 302
    assert done["Location"] == reverse("moderation-queue")  # never off the site
    note.refresh_from_db()
    assert (note.hidden, note.hidden_reason) == (True, "Rude.")
    client.force_login(alice)
    assert reverse("moderation-hide", args=[note.pk]) not in page(client, note)


def test_the_inbox_says_why_a_note_was_hidden_and_why_it_is_featured(client, world, alice, curator):
    moderating.feature(curator, world.notes["public"], "A close reading.")
    client.force_login(alice)
    body = client.get(reverse("inbox")).content.decode()
    assert "curator</strong> hid your note" in body
    assert "Why: “Off-topic here.”" in body
    assert "curator</strong> featured your note" in body
    assert "“A close reading.”" in body
