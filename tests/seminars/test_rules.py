"""The seminar's rules live on its models: starting one, leaving it, its reading list."""

import pytest
from django.urls import reverse

from reader.importing import import_file
from seminars.models import Membership, Seminar, SeminarError

pytestmark = pytest.mark.django_db


def test_starting_a_seminar_makes_a_unique_slug_and_an_instructor(alice, bob):
    first = Seminar.objects.start(name="Korea 2006", instructor=alice)
    second = Seminar.objects.start(name="Korea 2006", description="Again", instructor=bob)
    assert (first.slug, second.slug) == ("korea-2006", "korea-2006-2")
    assert second.memberships.get().user == bob
    assert second.memberships.get().is_instructor


@pytest.mark.parametrize("name", ["new", "Join"])
def test_a_started_seminar_never_takes_a_slug_a_page_uses(alice, name):
    assert Seminar.objects.start(name=name, instructor=alice).slug == f"{name.lower()}-2"


def test_the_only_instructor_cannot_leave_but_a_participant_can(alice, bob):
    seminar = Seminar.objects.start(name="S", instructor=alice)
    participant = Membership.objects.create(seminar=seminar, user=bob)
    with pytest.raises(SeminarError, match="only instructor"):
        seminar.memberships.get(user=alice).leave()
    participant.leave()
    assert list(seminar.memberships.values_list("user__username", flat=True)) == ["alice"]


def test_an_instructor_may_leave_while_another_instructor_stays(alice, bob):
    seminar = Seminar.objects.start(name="S", instructor=alice)
    Membership.objects.create(seminar=seminar, user=bob, role=Membership.Role.INSTRUCTOR)
    seminar.memberships.get(user=alice).leave()
    assert list(seminar.memberships.values_list("user__username", flat=True)) == ["bob"]


def test_the_reading_list_adds_each_article_once_and_last(alice, article, write_markdown):
    other = import_file(write_markdown("# Doves\n\nPeace talks."), slug="doves").article
    seminar = Seminar.objects.start(name="S", instructor=alice)
    seminar.add_to_reading_list(article)
    seminar.add_to_reading_list(other)
    seminar.add_to_reading_list(article)
    assert list(seminar.reading_list.values_list("article__slug", "position")) == [
        (article.slug, 1),
        ("doves", 2),
    ]


def test_the_seminar_form_says_what_is_wrong_with_a_control_character(client, alice):
    client.force_login(alice)
    response = client.post(reverse("seminar-create"), {"name": "Bad\x01name"})
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert not Seminar.objects.exists()
