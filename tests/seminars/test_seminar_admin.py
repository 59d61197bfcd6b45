"""The seminar admin: staff look at memberships but cannot make any, so they cannot let themselves in.

Memberships are managed by each seminar's instructors on its own page. An editable inline once
let staff add themselves as instructor of any seminar and then read its notes.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from seminars.models import Membership, Seminar
from tests.annotations.factories import note_on_quote
from tests.reader.test_admin import form_data

pytestmark = pytest.mark.django_db

SEMINAR = Annotation.Visibility.SEMINAR


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def secret(alice, article, seminar):
    shared = {"visibility": SEMINAR, "seminar": seminar}
    return note_on_quote(alice, article, "kind of mysteries", comment="seminarsecret", **shared)


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def test_the_change_page_shows_the_members_without_fields_to_change_them(curator_client, seminar):
    page = curator_client.get(change_url(seminar)).content.decode()
    assert "alice" in page
    assert "bob" in page
    data = form_data(page, "seminar_form")
    assert not [name for name in data if name.startswith("memberships-") and name.endswith(("-user", "-role"))]


def test_staff_cannot_add_themselves_as_instructor_and_read_the_notes(curator_client, curator, seminar, secret):
    data = form_data(curator_client.get(change_url(seminar)).content.decode(), "seminar_form")
    total = int(data["memberships-TOTAL_FORMS"][0])
    data |= {
        "memberships-TOTAL_FORMS": [str(total + 1)],
        f"memberships-{total}-user": [str(curator.pk)],
        f"memberships-{total}-role": ["instructor"],
        f"memberships-{total}-seminar": [str(seminar.pk)],
        "_save": ["Save"],
    }
    curator_client.post(change_url(seminar), data)
    assert not Membership.objects.filter(user=curator).exists()
    assert not Annotation.objects.visible_to(curator).filter(pk=secret.pk).exists()
    page = curator_client.get(reverse("admin:annotations_annotation_changelist")).content.decode()
    assert "seminarsecret" not in page


def test_staff_cannot_change_or_remove_a_members_role(curator_client, alice, bob, seminar):
    data = form_data(curator_client.get(change_url(seminar)).content.decode(), "seminar_form")
    bob_membership = Membership.objects.get(user=bob)
    data |= {"memberships-0-id": [str(bob_membership.pk)], "memberships-0-role": ["instructor"]}
    data |= {"memberships-0-DELETE": ["on"], "_save": ["Save"]}
    curator_client.post(change_url(seminar), data)
    assert sorted(Membership.objects.values_list("user__username", "role")) == [
        ("alice", "instructor"),
        ("bob", "participant"),
    ]


def test_seminars_are_not_added_in_the_admin(curator_client):
    assert curator_client.get(reverse("admin:seminars_seminar_add")).status_code == 403
    assert not Seminar.objects.exists()


def test_the_admin_checks_a_seminar_name_as_the_seminar_form_does(curator_client, seminar):
    data = form_data(curator_client.get(change_url(seminar)).content.decode(), "seminar_form")
    data |= {"name": ["Korea \u202e2006"], "_save": ["Save"]}
    response = curator_client.post(change_url(seminar), data)
    assert response.status_code == 200
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in response.content.decode()
    seminar.refresh_from_db()
    assert seminar.name == "Korea 2006"


def test_staff_who_instruct_a_seminar_hide_its_notes_through_the_admin_as_on_the_web(
    client, curator, make_seminar, alice, article
):
    """The admin's action asks the one moderation rule: a seminar's instructors moderate its notes."""
    taught = make_seminar("Taught", instructors=[curator], participants=[alice])
    note = note_on_quote(alice, article, "kind of mysteries", visibility=SEMINAR, seminar=taught)
    client.force_login(curator)
    changelist = reverse("admin:annotations_annotation_changelist")
    client.post(changelist, {"action": "hide", "_selected_action": [note.pk]})
    assert Annotation.objects.get(pk=note.pk).hidden
