"""The tag admin lists the tags of the notes staff may read, and changes only tags on nothing else.

taggit's own admin listed every tag, and let staff rename or merge tags used only on readers'
private and seminar notes. Here the curator (staff, in no seminar) plays charlie: alice's private
and seminar notes are not hers to read, so neither are their tags.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from annotations.models import Annotation
from tests.annotations.factories import PUBLIC, many_notes, note_on_quote

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


@pytest.fixture
def tagged(alice, curator, article, seminar):
    private = note_on_quote(alice, article, "North Korea shot the missiles", comment="privatesecret",
                            tags=["diary", "shared"])  # fmt: skip
    shared = {"visibility": Annotation.Visibility.SEMINAR, "seminar": seminar}
    note_on_quote(alice, article, "abrupt policy changes", comment="seminarsecret", tags=["classroom"], **shared)
    note_on_quote(alice, article, "unpredictability", tags=["shared", "open"], visibility=PUBLIC)
    note_on_quote(curator, article, "kind of mysteries", tags=["curating"])
    return private


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def listed(client, query=""):
    page = client.get(CHANGELIST + query).content.decode()
    return {tag.name for tag in Tag.objects.all() if f">{tag.name}</a>" in page}


def change_url(name):
    return reverse("admin:taggit_tag_change", args=[Tag.objects.get(name=name).pk])


def test_staff_see_the_tags_of_public_notes_and_their_own_but_none_of_alices_private_ones(curator_client, tagged):
    assert listed(curator_client) == {"shared", "open", "curating"}
    page = curator_client.get(CHANGELIST).content.decode()
    assert "diary" not in page
    assert "classroom" not in page
    assert "privatesecret" not in page
    assert curator_client.get(change_url("diary")).status_code == 302  # "does not exist", back to the index


def test_charlie_who_is_not_staff_is_sent_to_the_admin_login(client, charlie, tagged):
    client.force_login(charlie)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_tag_only_on_notes_staff_can_read_is_renamed(curator_client, tagged):
    response = curator_client.post(change_url("open"), {"name": "openness", "_save": "Save"})
    assert response.status_code == 302
    assert Tag.objects.filter(name="openness").exists()


def test_a_rename_obeys_the_rules_of_tags(curator_client, tagged):
    response = curator_client.post(change_url("open"), {"name": "op\u200ben", "_save": "Save"})
    assert response.status_code == 200
    assert "U+200B ZERO WIDTH SPACE" in response.content.decode()
    response = curator_client.post(change_url("open"), {"name": "Curating", "_save": "Save"})
    assert "There is already a tag “curating”." in response.content.decode()
    assert Tag.objects.filter(name="open").exists()


def test_a_tag_also_on_a_private_note_is_read_only_and_cannot_be_deleted(curator_client, tagged):
    url = change_url("shared")
    page = curator_client.get(url).content.decode()
    assert 'name="name"' not in page
    curator_client.post(url, {"name": "renamed", "_save": "Save"})
    assert curator_client.post(reverse("admin:taggit_tag_delete", args=[Tag.objects.get(name="shared").pk]),
                               {"post": "yes"}).status_code == 403  # fmt: skip
    assert sorted(tagged.tags.names()) == ["diary", "shared"]


def test_tags_are_neither_added_nor_merged_here(curator_client, tagged):
    assert curator_client.get(reverse("admin:taggit_tag_add")).status_code == 403
    diary, shared = Tag.objects.get(name="diary"), Tag.objects.get(name="shared")
    curator_client.post(CHANGELIST, {"action": "render_tag_form", "_selected_action": [diary.pk, shared.pk]})
    curator_client.post(CHANGELIST + "merge-tags/", {"new_tag_name": "merged"})
    assert not Tag.objects.filter(name="merged").exists()
    assert sorted(tagged.tags.names()) == ["diary", "shared"]


def test_the_tag_list_asks_as_many_queries_for_many_tags_as_for_a_few(curator_client, alice, article, tagged):
    def count():
        curator_client.get(CHANGELIST)
        with CaptureQueriesContext(connection) as captured:
            assert curator_client.get(CHANGELIST).status_code == 200
        return len(captured)

    few = count()
    many_notes(article, [alice], 300, tags=[f"topic{n}" for n in range(60)])
    assert len(listed(curator_client)) > 20
    assert count() == few
