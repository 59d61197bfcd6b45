"""The inbox: reading it changes nothing; one button marks every unread notification read."""

import pytest
from django.urls import reverse

from annotations.models import Notification
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_unread(alice, bob, article):
    note = note_on_quote(alice, article, "North Korea shot the missiles", visibility="public")
    replies = [note.replies.create(author=bob, article=article, thread=note, comment=f"Reply {i}", visibility="public")
               for i in range(250)]  # fmt: skip
    Notification.objects.bulk_create(
        Notification(recipient=alice, actor=bob, kind=Notification.Kind.REPLY, annotation=reply) for reply in replies
    )
    return replies


def test_reading_the_inbox_marks_nothing_read(client, alice, many_unread):
    client.force_login(alice)
    page = client.get(reverse("inbox")).content.decode()
    assert "Mark all 250 as read" in page
    assert Notification.objects.filter(read=None).count() == 250


def test_marking_read_marks_every_unread_notification_not_just_the_first_page(client, alice, many_unread):
    client.force_login(alice)
    response = client.post(reverse("inbox-mark-read"))
    assert response.status_code == 302
    assert response["Location"] == reverse("inbox")
    assert not Notification.objects.filter(read=None).exists()


def test_the_inbox_takes_no_post_and_marking_read_takes_no_get(client, alice, many_unread):
    client.force_login(alice)
    assert client.post(reverse("inbox")).status_code == 405
    assert client.get(reverse("inbox-mark-read")).status_code == 405
    assert Notification.objects.filter(read=None).count() == 250


def test_marking_read_needs_a_signed_in_reader(client, many_unread):
    response = client.post(reverse("inbox-mark-read"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert Notification.objects.filter(read=None).count() == 250


def test_marking_read_leaves_other_readers_notifications(client, alice, bob, charlie, many_unread):
    Notification.objects.create(recipient=charlie, actor=bob, kind=Notification.Kind.MENTION, annotation=many_unread[0])
    client.force_login(alice)
    client.post(reverse("inbox-mark-read"))
    assert Notification.objects.get(recipient=charlie).read is None
