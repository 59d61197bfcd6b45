"""The audit log: every act and every change of text, kept; the admin reads it and cannot change it."""

from django.urls import reverse

from annotations import discussion, moderating
from moderation import flagging
from moderation.models import AuditEntry
from reader.models import Article
from reader.rendering import render_block
from reader.revising import Entry, revert, revise


def entries_of(article, **changes):
    return [Entry(p.key, render_block(changes.get(p.key, p.source))) for p in article.paragraphs.order_by("position")]


def test_a_curators_edit_of_the_text_and_a_revert_are_in_the_log(article, curator):
    first = article.paragraphs.order_by("position").first()
    revise(article, entries_of(article, **{first.key: "A corrected first line."}), author=curator, message="Typo")
    revert(Article.objects.get(pk=article.pk), 1, author=curator)
    text = AuditEntry.objects.filter(action="text")
    assert [(e.actor, e.actor_name, e.reason, e.revision) for e in text] == [
        (curator, "curator", "Reverted to revision 1", 3),
        (curator, "curator", "Typo", 2),
    ]
    assert {e.article for e in text} == {article}
    assert {e.visibility for e in text} == {""}


def test_every_act_on_a_note_is_one_entry_saying_who_what_and_why(world, bob, curator, alice):
    note = world.notes["public"]
    flagging.flag(bob, note, "other", "Shoe adverts.")
    flagging.dismiss(curator, note)
    discussion.hide(curator, note, "Advertising.")
    discussion.unhide(curator, note)
    moderating.feature(curator, note, "A clear reading.")
    moderating.withdraw_from_featuring(alice, note)
    log = AuditEntry.objects.filter(annotation=note).order_by("pk")
    assert [(e.actor_name, e.action, e.person_name, e.reason) for e in log] == [
        ("bob", "flag", "alice", "Something else: Shoe adverts."),
        ("curator", "dismiss", "alice", "1 flag"),
        ("curator", "hide", "alice", "Advertising."),
        ("curator", "unhide", "alice", ""),
        ("curator", "feature", "alice", "A clear reading."),
        ("alice", "withdraw", "alice", ""),
    ]


def test_the_log_outlives_the_note_and_the_moderators_account(world, curator):
    note = world.notes["hidden"]
    note.delete()
    curator.delete()
    entry = AuditEntry.objects.get(action="hide")
    assert (entry.annotation, entry.actor, entry.actor_name, entry.reason) == (None, None, "curator", "Off-topic here.")


def test_the_admin_lists_and_filters_the_log_but_cannot_add_change_or_delete(client, world, curator):
    client.force_login(curator)
    changelist = reverse("admin:moderation_auditentry_changelist")
    response = client.get(changelist, {"action__exact": "hide"})
    assert response.status_code == 200
    assert "Off-topic here." in response.content.decode()
    entry = AuditEntry.objects.get(action="hide")
    assert client.get(reverse("admin:moderation_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:moderation_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    client.post(reverse("admin:moderation_auditentry_change", args=[entry.pk]), {"reason": "Rewritten."})
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    client.post(changelist, bulk)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Off-topic here."


def test_staff_do_not_read_the_log_of_a_seminar_they_do_not_instruct_even_in_the_admin(client, world, curator):
    moderating.approve(world.person("instructor"), world.notes["pending"])
    client.force_login(curator)
    listed = client.get(reverse("admin:moderation_auditentry_changelist")).context["cl"].result_list
    assert [entry.action for entry in listed] == ["hide"]
