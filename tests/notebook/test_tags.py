"""/notebook/tags/: rename and merge my tags on my notes; others' notes keep theirs."""

import html

import pytest
from taggit.models import Tag

from annotations.models import Annotation
from tests.annotations.factories import note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db
URL = "/notebook/tags/"


def rename(client, slug, name):
    return client.post(f"{URL}{slug}/rename/", {"name": name})


def tags_of(note):
    return sorted(Annotation.objects.get(pk=note.pk).tags.names())


@pytest.fixture
def tagged(alice, bob, article):
    return {
        "alice_peace": note_on_quote(alice, article, "frequent abrupt policy changes", tags=["peace", "war"]),
        "alice_pace": note_on_quote(alice, article, "a fundamental limitation", tags=["pace"]),
        "alice_both": note_on_quote(alice, article, "money forgery and laundries", tags=["pace", "peace"]),
        "bob_pace": note_on_quote(bob, article, "the 6-way talk", tags=["pace"], visibility="public"),
    }


def test_my_tags_are_listed_with_the_count_of_my_notes(client, alice, tagged):
    client.force_login(alice)
    page = parse(client.get(URL).content.decode())
    rows = [[cell.text.strip() for cell in row.find_all("td")[:2]] for row in page.one("tbody").find_all("tr")]
    assert rows == [["#pace", "2"], ["#peace", "2"], ["#war", "1"]]


def test_renaming_a_tag_changes_my_notes_only(client, alice, tagged):
    client.force_login(alice)
    response = rename(client, "pace", "tempo")
    assert response.status_code == 302
    assert tags_of(tagged["alice_pace"]) == ["tempo"]
    assert tags_of(tagged["alice_both"]) == ["peace", "tempo"]
    assert tags_of(tagged["bob_pace"]) == ["pace"]
    assert "are now tagged “tempo”" in html.unescape(client.get(URL).content.decode())


def test_renaming_to_an_existing_tag_merges_them(client, alice, tagged):
    client.force_login(alice)
    assert rename(client, "pace", "Peace").status_code == 302
    assert tags_of(tagged["alice_pace"]) == ["peace"]
    assert tags_of(tagged["alice_both"]) == ["peace"]  # it had both: it keeps one
    assert tags_of(tagged["bob_pace"]) == ["pace"]
    assert Tag.objects.filter(name="pace").exists()  # bob's notes still use it


def test_a_tag_nobody_uses_any_more_goes(client, alice, tagged):
    client.force_login(alice)
    rename(client, "war", "conflict")
    assert not Tag.objects.filter(name="war").exists()


def test_a_change_of_letter_case_renames_a_tag_only_i_use(client, alice, bob, tagged):
    client.force_login(alice)
    assert rename(client, "war", "War").status_code == 302
    assert tags_of(tagged["alice_peace"]) == ["War", "peace"]
    response = rename(client, "pace", "Pace")
    assert response.status_code == 400
    assert "other readers' notes use “pace”" in html.unescape(response.content.decode())
    assert tags_of(tagged["bob_pace"]) == ["pace"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the tag's new name."),
        ("   ", "Give the tag's new name."),
        ("x" * 41, "is longer than 40 characters"),
        ("a, b", "cannot contain a comma"),
        ("<b>", "contains a character tags cannot have"),
        ("peace", "The tag is called “peace” already."),
    ],
)
def test_a_bad_name_is_a_400_and_changes_nothing(client, alice, tagged, name, message):
    client.force_login(alice)
    response = rename(client, "peace", name)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert tags_of(tagged["alice_peace"]) == ["peace", "war"]


def test_an_unknown_tag_or_someone_elses_is_a_404(client, alice, bob, article, tagged):
    note_on_quote(bob, article, "stuck to a stalemate", tags=["bobs-own"])
    client.force_login(alice)
    assert rename(client, "no-such-tag", "x").status_code == 404
    assert rename(client, "bobs-own", "mine-now").status_code == 404
    assert Tag.objects.filter(name="bobs-own").exists()


def test_renaming_needs_a_post_and_a_reader(client, alice, tagged):
    assert client.get(URL).status_code == 302
    assert rename(client, "pace", "tempo").status_code == 302
    assert tags_of(tagged["alice_pace"]) == ["pace"]
    client.force_login(alice)
    assert client.get(f"{URL}pace/rename/").status_code == 405


def test_with_no_tags_the_page_says_how_to_add_one(client, charlie):
    client.force_login(charlie)
    assert "Add tags when you write or edit a note" in client.get(URL).content.decode()
