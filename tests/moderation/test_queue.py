"""The queue and the audit log: what they list, in which order, and at a cost that does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation, Notification
from annotations.writing import create_note
from moderation import flagging
from moderation.models import AuditEntry, Flag
from moderation.queue import queue_count
from tests.annotations.factories import note_on_article
from tests.conftest import _make_user


def public_notes(author, article, count, first=0):
    return [
        note_on_article(author, article, visibility="public", comment=f"Note {i} of {author}.")
        for i in range(first, first + count)
    ]


def flag_all(notes, readers):
    for note in notes:
        for reader in readers:
            flagging.flag(reader, note, "spam")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_queue_costs_the_same_queries_for_2_or_20_flagged_notes(client, django_user_model, article, alice, curator):
    readers = [_make_user(django_user_model, f"reader{i}") for i in range(3)]
    flag_all(public_notes(alice, article, 2), readers)
    client.force_login(curator)
    few = queries(client, reverse("moderation-queue"))
    flag_all(public_notes(alice, article, 18, first=2), readers)
    assert queries(client, reverse("moderation-queue")) == few
    assert client.get(reverse("moderation-queue")).content.decode().count("3 flags") == 20


def test_the_audit_log_costs_the_same_queries_for_few_or_many_entries(
    client, django_user_model, article, alice, curator
):
    readers = [_make_user(django_user_model, f"reader{i}") for i in range(2)]
    flag_all(public_notes(alice, article, 2), readers)
    client.force_login(curator)
    few = queries(client, reverse("moderation-log"))
    flag_all(public_notes(alice, article, 20, first=2), readers)
    assert AuditEntry.objects.count() == 44
    assert queries(client, reverse("moderation-log")) == few


def test_the_queue_shows_the_newest_flag_first_with_its_count_reasons_and_passage(client, world, bob, charlie, curator):
    flagging.flag(bob, world.notes["public"], "other", "Sells shoes.")
    late = note_on_article(
        charlie, world.notes["public"].article, visibility="public", comment="A later note by Charlie."
    )
    flagging.flag(bob, late, "abusive")
    client.force_login(curator)
    body = client.get(reverse("moderation-queue")).content.decode()
    assert body.index("A later note by Charlie.") < body.index("Public thought.")
    assert "Sells shoes." in body
    assert "Abusive or harassing" in body
    assert world.notes["public"].quote_exact[:15] in body  # the passage, in context
    assert "1 flag<" in body


def test_the_header_counts_the_queue_for_its_moderators_only(client, world, bob, alice, curator):
    flagging.flag(bob, world.notes["public"], "spam")
    client.force_login(curator)
    assert 'aria-label="1 awaiting moderation"' in client.get(reverse("article-list")).content.decode()
    client.force_login(world.person("instructor"))  # irene: alice's pending seminar note awaits her
    assert 'aria-label="1 awaiting moderation"' in client.get(reverse("article-list")).content.decode()
    client.force_login(alice)
    assert "awaiting moderation" not in client.get(reverse("article-list")).content.decode()


def test_the_count_asks_one_small_query_of_a_reader_who_moderates_nothing(world, bob, curator):
    flagging.flag(bob, world.notes["public"], "spam")
    with CaptureQueriesContext(connection) as asked:
        assert queue_count(bob) == 0
    assert len(asked.captured_queries) == 1
    assert "COUNT" not in asked.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as asked:
        assert queue_count(world.person("instructor")) == 1
    assert len(asked.captured_queries) == 2
    assert queue_count(curator) == 1


def test_hiding_from_the_queue_needs_a_reason_tells_the_author_and_answers_the_flags(
    client, world, bob, alice, curator
):
    note = world.notes["public"]
    flagging.flag(bob, note, "spam")
    client.force_login(curator)
    refused = client.post(reverse("moderation-hide", args=[note.pk]), {"reason": "  "})
    assert refused.status_code == 400
    assert "Give a reason" in refused.content.decode()
    assert not Annotation.objects.get(pk=note.pk).hidden
    response = client.post(
        reverse("moderation-hide", args=[note.pk]), {"reason": "Advertising."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    note.refresh_from_db()
    assert (note.hidden, note.hidden_reason, note.hidden_by) == (True, "Advertising.", curator)
    assert Flag.objects.get().resolution == "hidden"
    assert Notification.objects.filter(recipient=alice, annotation=note, kind="hidden").exists()
    assert str(note.pk) not in client.get(reverse("moderation-queue")).content.decode()


def test_dismissing_keeps_the_note_and_empties_the_queue(client, world, bob, curator):
    note = world.notes["public"]
    flagging.flag(bob, note, "spam")
    client.force_login(curator)
    assert client.post(reverse("moderation-dismiss", args=[note.pk])).status_code == 302
    assert Flag.objects.get().resolution == "dismissed"
    assert not Annotation.objects.get(pk=note.pk).hidden
    again = client.post(reverse("moderation-dismiss", args=[note.pk]))
    assert again.status_code == 400
    assert "no open flags" in again.content.decode()
    assert "Nothing awaits you" in client.get(reverse("moderation-queue")).content.decode()


def test_an_error_in_the_queue_stays_in_its_item_with_htmx(client, world, curator):
    client.force_login(curator)
    response = client.post(
        reverse("moderation-approve", args=[world.notes["public"].pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in body
    assert 'role="alert"' in body
    assert "not awaiting approval" in body


def test_the_instructor_approves_a_pending_note_and_its_readers_see_it(client, world, bob):
    note = world.notes["pending"]
    client.force_login(bob)
    page = note.get_absolute_url().split("#")[0]
    assert "Pending thought." not in client.get(page).content.decode()
    client.force_login(world.person("instructor"))
    assert "Pending thought." in client.get(reverse("moderation-queue")).content.decode()
    assert client.post(reverse("moderation-approve", args=[note.pk])).status_code == 302
    client.force_login(bob)
    assert "Pending thought." in client.get(page).content.decode()
    assert AuditEntry.objects.filter(action="approve", annotation=note).exists()


def test_suspended_readers_cannot_write_public_notes_until_staff_lift_it(client, world, alice, curator):
    client.force_login(curator)
    response = client.post(reverse("moderation-suspend", args=[world.notes["public"].pk]), {"reason": "Spam."})
    assert response.status_code == 302
    article = world.notes["public"].article
    with pytest.raises(Exception, match="public writing is suspended"):
        note_on_article(alice, article, visibility="public", comment="More spam.")
    assert note_on_article(alice, article, comment="Still mine.").visibility == "private"
    again = client.post(reverse("moderation-suspend", args=[world.notes["public"].pk]), {"reason": "Spam."})
    assert again.status_code == 400
    assert "suspended already" in again.content.decode()
    assert "Suspended public writing" in client.get(reverse("moderation-queue")).content.decode()
    client.force_login(world.person("instructor"))
    assert "Suspended public writing" not in client.get(reverse("moderation-queue")).content.decode()
    assert client.post(reverse("moderation-unsuspend", args=["alice"])).status_code == 403
    client.force_login(curator)
    assert client.post(reverse("moderation-unsuspend", args=["alice"])).status_code == 302
    assert create_note(alice, article, None, comment="Back.", visibility="public").visibility == "public"
    assert list(AuditEntry.objects.filter(person=alice).values_list("action", flat=True)[:2]) == [
        "unsuspend",
        "suspend",
    ]


def test_an_instructor_turns_pre_moderation_on_for_her_seminar_only(client, world, alice, bob):
    irene, other = world.person("instructor"), world.other_seminar
    client.force_login(irene)
    url = reverse("moderation-premoderation", args=[world.seminar.slug])
    assert client.post(url).status_code == 302  # no "premoderated": off
    world.seminar.refresh_from_db()
    assert not world.seminar.premoderated
    client.post(url, {"premoderated": "on"})
    world.seminar.refresh_from_db()
    assert world.seminar.premoderated
    assert "Turn off" in client.get(reverse("moderation-queue")).content.decode()
    assert (
        client.post(reverse("moderation-premoderation", args=[other.slug]), {"premoderated": "on"}).status_code == 404
    )
    client.force_login(bob)
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    world.seminar.refresh_from_db()
    assert (other.premoderated, world.seminar.premoderated) == (False, True)


@pytest.mark.parametrize(("role", "status"), [("staff", 200), ("instructor", 403), ("flagger", 403), ("stranger", 403)])
def test_the_feature_form_opens_for_the_notes_moderators_only(as_role, world, role, status):
    response = as_role(role).get(reverse("moderation-feature", args=[world.notes["public"].pk]))
    assert response.status_code == status
    if status == 200:
        assert 'name="reason"' in response.content.decode()
