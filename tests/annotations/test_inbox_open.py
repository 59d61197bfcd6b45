"""Opening an inbox item marks it read: its link goes through /inbox/<id>/, which redirects to the note."""

from django.urls import reverse

from annotations.models import Notification
from annotations.writing import create_reply
from tests.annotations.factories import note_on_article


def _replied(alice, bob, article):
    note = note_on_article(alice, article, comment="What do you think?", visibility="public")
    reply = create_reply(bob, note, comment="I agree.")
    return alice.notifications.get(), reply


def test_the_inbox_links_each_item_through_its_opening_address(client, alice, bob, article):
    notification, _ = _replied(alice, bob, article)
    client.force_login(alice)
    page = client.get(reverse("inbox")).content.decode()
    assert f'href="{reverse("inbox-open", args=[notification.pk])}"' in page


def test_opening_an_item_marks_it_read_and_goes_to_the_note(client, alice, bob, article):
    notification, reply = _replied(alice, bob, article)
    client.force_login(alice)
    response = client.get(reverse("inbox-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read is not None
    assert 'class="inbox-item unread' not in client.get(reverse("inbox")).content.decode()


def test_opening_it_again_keeps_the_first_reading_time(client, alice, bob, article):
    notification, _ = _replied(alice, bob, article)
    client.force_login(alice)
    client.get(reverse("inbox-open", args=[notification.pk]))
    first = Notification.objects.get(pk=notification.pk).read
    client.get(reverse("inbox-open", args=[notification.pk]))
    assert Notification.objects.get(pk=notification.pk).read == first


def test_someone_elses_item_is_a_404_and_stays_unread(client, alice, bob, article):
    notification, _ = _replied(alice, bob, article)
    client.force_login(bob)
    assert client.get(reverse("inbox-open", args=[notification.pk])).status_code == 404
    assert Notification.objects.get(pk=notification.pk).read is None


def test_opening_an_item_needs_signing_in_and_a_get(client, alice, bob, article):
    notification, _ = _replied(alice, bob, article)
    url = reverse("inbox-open", args=[notification.pk])
    assert client.get(url).status_code == 302
    assert Notification.objects.get(pk=notification.pk).read is None
    client.force_login(alice)
    assert client.post(url).status_code == 405
