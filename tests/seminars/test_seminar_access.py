"""Who sees which note once seminars are in play: the access matrix, checked on every read path.

The seminar "Korea 2006" has ines as its instructor and alice and bob as participants. dave is
in another seminar, charlie in none, the curator is staff but no member. Each note carries a
secret word in its comment and a tag of its own, so a page that leaks it can be caught.

SEES below is the whole rule at a glance; every test compares what a path shows against it.
"""

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from taggit.models import Tag

from annotations import discussion
from annotations.writing import create_reply
from seminars.models import Seminar
from tests.annotations.factories import (
    get_page,
    marked_ids,
    note_cards,
    note_on_quote,
    note_total,
    paragraph_counts,
    reading_page,
    tag_counts,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

VIEWERS = ["alice", "bob", "ines", "dave", "charlie", "anonymous", "curator"]
EVERYONE = frozenset(VIEWERS)
KOREA = "korea-2006"
SHARED = "shared"  # a tag every note also carries

# Who sees each note. Private: its author. Seminar: the seminar's members (author, participant,
# instructor). Public: everyone, signed in or not. Hidden by a moderator: its author and the
# moderators (the instructor for a seminar note, staff for a public one). A reply: as its thread.
# Staff see no private or seminar note that is not theirs.
SEES = {
    "private":       {"alice"},
    "seminar":       {"alice", "bob", "ines"},
    "public":        EVERYONE,
    "hidden":        {"alice", "ines"},
    "hidden-public": {"alice", "curator"},
    "seminar-reply": {"alice", "bob", "ines"},
    "public-reply":  EVERYONE,
    "other-seminar": {"dave"},
}  # fmt: skip


@dataclass(frozen=True)
class Spec:
    author: str
    word: str  # in the comment, nowhere else
    tag: str
    visibility: str = "seminar"
    seminar: str | None = None
    quote: str = ""  # a top-level note's passage (each in its own paragraph)
    parent: str = ""  # a reply's parent note
    hidden_by: str = ""


NOTES = {
    "private": Spec("alice", "ocelot", "amber", "private", quote="surprising the international community"),
    "seminar": Spec("alice", "pangolin", "basalt", seminar=KOREA, quote="unpredictability"),
    "public": Spec("alice", "narwhal", "cobalt", "public", quote="underestimated the possibility"),
    "hidden": Spec("alice", "axolotl", "dolomite", seminar=KOREA, quote="fundamental limitation", hidden_by="ines"),
    "hidden-public": Spec("alice", "quokka", "emerald", "public", quote="stuck to a stalemate", hidden_by="curator"),
    "seminar-reply": Spec("bob", "tapir", "feldspar", parent="seminar"),
    "public-reply": Spec("bob", "wombat", "garnet", parent="public"),
    "other-seminar": Spec("dave", "manatee", "jasper", seminar="other", quote="anti-NK resolution"),
}
TOP_LEVEL = [name for name, spec in NOTES.items() if not spec.parent]
assert set(NOTES) == set(SEES)


def root_of(name):
    return NOTES[name].parent or name


def expected(viewer, names=NOTES):
    return {name for name in names if viewer in SEES[name]}


@pytest.fixture
def people(django_user_model, make_seminar, alice, bob, charlie, curator):
    ines = django_user_model.objects.create_user("ines", "ines@example.com", "pw")
    dave = django_user_model.objects.create_user("dave", "dave@example.com", "pw")
    make_seminar("Korea 2006", KOREA, instructors=[ines], participants=[alice, bob])
    make_seminar("Another seminar", "other", participants=[dave])
    return {"alice": alice, "bob": bob, "ines": ines, "dave": dave, "charlie": charlie, "curator": curator}


@pytest.fixture
def notes(people, article):
    """The notes of NOTES, made and hidden the way the app does it."""
    made = {}
    for name, spec in NOTES.items():
        author = people[spec.author]
        comment = f"Note with the secret word {spec.word}."
        if spec.parent:
            made[name] = create_reply(author, made[spec.parent], comment=comment, tags=[spec.tag, SHARED])
        else:
            seminar = Seminar.objects.get(slug=spec.seminar) if spec.seminar else None
            made[name] = note_on_quote(
                author, article, spec.quote, comment=comment, tags=[spec.tag, SHARED], visibility=spec.visibility,
                seminar=seminar,
            )  # fmt: skip
        if spec.hidden_by:
            discussion.hide(people[spec.hidden_by], made[name])
    return made


@pytest.fixture
def as_viewer(client, people):
    def sign_in(viewer):
        client.logout()
        if viewer != "anonymous":
            client.force_login(people[viewer])
        return client

    return sign_in


@pytest.fixture
def api_token(people, issue_token):
    """The Bearer token for a viewer (None for anonymous)."""
    return lambda viewer: None if viewer == "anonymous" else issue_token(people[viewer])


def words_in(text, names=NOTES):
    return {name for name in names if NOTES[name].word in text}


def tags_in(text, names=NOTES):
    return {name for name in names if NOTES[name].tag in text}


def ids_in(text, notes, names=NOTES):
    return {name for name in names if str(notes[name].pk) in text}


viewers = pytest.mark.parametrize("viewer", VIEWERS)


def test_the_matrix_is_what_the_queryset_says(people, notes):
    """The rule itself, straight from visible_to; the read paths below must agree with it."""
    from django.contrib.auth.models import AnonymousUser

    from annotations.models import Annotation

    for viewer in VIEWERS:
        user = AnonymousUser() if viewer == "anonymous" else people[viewer]
        visible = set(Annotation.objects.visible_to(user).values_list("pk", flat=True))
        assert {name for name, note in notes.items() if note.pk in visible} == expected(viewer), viewer


# The reading page ------------------------------------------------------------------------------


@viewers
def test_the_reading_page_shows_cards_words_and_tags_by_the_rule(as_viewer, article, notes, viewer):
    page = reading_page(as_viewer(viewer), article)
    cards = set(note_cards(page))
    assert {name for name, note in notes.items() if str(note.pk) in cards} == expected(viewer)
    assert words_in(page) == expected(viewer)
    assert tags_in(page) == expected(viewer)


@viewers
def test_the_marks_and_counts_follow_the_rule(as_viewer, article, notes, viewer):
    page = reading_page(as_viewer(viewer), article)
    marked = marked_ids(page)
    shown = expected(viewer, TOP_LEVEL)
    assert {name for name in TOP_LEVEL if str(notes[name].pk) in marked} == shown
    assert paragraph_counts(page) == {notes[name].start_key: 1 for name in shown}
    assert note_total(page) == len(shown)


SCOPES = {  # query: which threads it keeps (before the visibility rule), given the viewer
    "?scope=mine": lambda viewer, root: NOTES[root].author == viewer,
    "?scope=public": lambda viewer, root: NOTES[root].visibility == "public",
    # A seminar the viewer is not in is ignored: the page shows all they may see.
    f"?seminar={KOREA}&scope=seminar": lambda viewer, root: (
        NOTES[root].seminar == KOREA if viewer in {"alice", "bob", "ines"} else True
    ),
    "?seminar=other&scope=seminar": lambda viewer, root: NOTES[root].seminar == "other" if viewer == "dave" else True,
}


@viewers
@pytest.mark.parametrize("query", SCOPES)
def test_the_reading_page_scopes_show_only_what_the_rule_allows(as_viewer, article, notes, viewer, query):
    page = reading_page(as_viewer(viewer), article, query)
    keeps = {name for name in expected(viewer) if SCOPES[query](viewer, root_of(name))}
    cards = set(note_cards(page))
    assert {name for name, note in notes.items() if str(note.pk) in cards} == keeps
    assert words_in(page) == keeps
    assert {name for name in TOP_LEVEL if str(notes[name].pk) in marked_ids(page)} == keeps & set(TOP_LEVEL)


@viewers
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_notes_listed_on_demand_follow_the_rule(as_viewer, article, notes, viewer, htmx):
    client = as_viewer(viewer)
    headers = {"HX-Request": "true"} if htmx else {}
    shown = set()
    for name in TOP_LEVEL:
        page = get_page(client, reverse("annotation-list", args=[article.slug, notes[name].start_key]), **headers)
        assert ("<html" in page) != htmx
        shown |= {other for other in NOTES if root_of(other) == name and str(notes[other].pk) in note_cards(page)}
        shown |= words_in(page)  # a leak of another note's word counts too
    assert shown == expected(viewer)


# One note -------------------------------------------------------------------------------------


@viewers
def test_the_htmx_note_detail_is_the_card_or_a_404(as_viewer, notes, viewer):
    client = as_viewer(viewer)
    shown = set()
    for name, note in notes.items():
        response = client.get(reverse("annotation-detail", args=[note.pk]), headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code in (200, 404), name
        if response.status_code == 200:
            assert note_cards(body) == [str(note.pk)]
            assert NOTES[name].word in body
            shown.add(name)
        else:
            assert NOTES[name].word not in body
            assert NOTES[name].tag not in body
    assert shown == expected(viewer)


@viewers
def test_the_plain_note_detail_redirects_only_those_who_may_see_it(as_viewer, notes, viewer):
    client = as_viewer(viewer)
    statuses = {
        name: client.get(reverse("annotation-detail", args=[note.pk])).status_code for name, note in notes.items()
    }
    assert {name for name, status in statuses.items() if status == 302} == expected(viewer)
    assert {name for name, status in statuses.items() if status == 404} == set(NOTES) - expected(viewer)


# Tags, people ---------------------------------------------------------------------------------


@viewers
def test_the_tag_list_shows_a_tag_only_to_those_who_see_its_note(as_viewer, notes, viewer):
    page = get_page(as_viewer(viewer), reverse("tag-list"))
    assert tags_in(page) == expected(viewer)
    assert words_in(page) == set()


@viewers
def test_a_shared_tag_counts_and_lists_only_the_notes_the_viewer_may_see(as_viewer, notes, viewer):
    client = as_viewer(viewer)
    assert tag_counts(get_page(client, reverse("tag-list")))[SHARED] == len(expected(viewer))
    page = get_page(client, reverse("tag-detail", args=[SHARED]))
    cards = set(note_cards(page))
    assert {name for name, note in notes.items() if str(note.pk) in cards} == expected(viewer)
    assert words_in(page) == expected(viewer)


@viewers
def test_a_tag_page_is_a_404_to_those_who_see_none_of_its_notes(as_viewer, notes, viewer):
    client = as_viewer(viewer)
    shown = set()
    for name in NOTES:
        response = client.get(reverse("tag-detail", args=[Tag.objects.get(name=NOTES[name].tag).slug]))
        body = response.content.decode()
        if response.status_code == 200:
            assert words_in(body) == {name}
            assert str(notes[name].pk) in note_cards(body)
            shown.add(name)
        else:
            assert response.status_code == 404
            assert words_in(body) == set()
    assert shown == expected(viewer)


@viewers
def test_a_persons_page_lists_only_the_notes_the_viewer_may_see(as_viewer, notes, viewer):
    client = as_viewer(viewer)
    shown = set()
    for person in ("alice", "bob", "dave"):
        page = get_page(client, reverse("person-detail", args=[person]))
        authored = {name for name in NOTES if NOTES[name].author == person}
        cards = set(note_cards(page))
        assert words_in(page) == {name for name in authored if str(notes[name].pk) in cards}
        shown |= {name for name in authored if str(notes[name].pk) in cards}
    assert shown == expected(viewer)


@viewers
def test_a_hidden_note_is_marked_hidden_wherever_it_is_shown(as_viewer, article, notes, viewer):
    """Those who still see a hidden note (its author, the moderators) see it marked as hidden."""
    client = as_viewer(viewer)
    pages = [reading_page(client, article), get_page(client, reverse("person-detail", args=["alice"]))]
    for name in ("hidden", "hidden-public"):
        for page in pages:
            found = parse(page).find("article", id=f"note-{notes[name].pk}")
            assert bool(found) == (viewer in SEES[name]), (name, viewer)
            if found:
                assert "note-hidden" in found.classes


# The inbox ------------------------------------------------------------------------------------


@pytest.fixture
def bobs_thread(people, article):
    """bob's seminar note; alice replies, mentioning bob, dave and charlie. Only bob is told."""
    korea = Seminar.objects.get(slug=KOREA)
    note = note_on_quote(
        people["bob"], article, "Early morning", comment="bob asks", visibility="seminar", seminar=korea
    )
    reply = create_reply(people["alice"], note, comment="@bob @dave @charlie the secret word walrus")
    return note, reply


INBOX_SEES = {"bob"}  # the reply and the mention are for bob; dave and charlie cannot read the note


@viewers
def test_the_inbox_shows_a_reply_only_to_the_one_it_was_for(as_viewer, bobs_thread, viewer):
    response = as_viewer(viewer).get(reverse("inbox"))
    if viewer == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        return
    page = response.content.decode()
    assert response.status_code == 200
    assert ("walrus" in page) == (viewer in INBOX_SEES)
    # A reply that mentions bob is one entry, a mention: one event, one notification.
    assert ('aria-label="1 unread"' in page) == (viewer in INBOX_SEES)
    assert page.count('class="inbox-item') == (1 if viewer in INBOX_SEES else 0)


def test_a_reply_hidden_by_the_instructor_leaves_the_inbox(as_viewer, people, bobs_thread):
    _, reply = bobs_thread
    discussion.hide(people["ines"], reply)
    page = get_page(as_viewer("bob"), reverse("inbox"))
    assert "walrus" not in page
    labels = [element["aria-label"] for element in parse(page).find_all(aria_label=True)]
    assert not [label for label in labels if re.fullmatch(r"\d+ unread", label)]
    assert 'class="inbox-item' not in page
    assert "walrus" in get_page(as_viewer("ines"), reverse("person-detail", args=["alice"]))


# The seminar page and participation -----------------------------------------------------------

MEMBERS = {"alice", "bob", "ines"}


@pytest.fixture
def reading_list(notes, article):
    Seminar.objects.get(slug=KOREA).reading_list.create(article=article, position=1)


@viewers
def test_the_seminar_page_is_for_members_and_counts_the_notes_they_may_see(as_viewer, reading_list, viewer):
    response = as_viewer(viewer).get(reverse("seminar-detail", args=[KOREA]))
    if viewer == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if viewer in MEMBERS else 404)
    page = response.content.decode()
    assert words_in(page) == set()
    if viewer in MEMBERS:
        # The notes that open threads on the article; replies are not counted.
        count = len({name for name in expected(viewer, TOP_LEVEL) if NOTES[name].seminar == KOREA})
        assert f'<span class="muted">{count} note' in page


PARTICIPATION = {"ines": 200, "alice": 403, "bob": 403, "dave": 404, "charlie": 404, "curator": 404, "anonymous": 302}


@viewers
def test_only_the_instructor_gets_the_participation_csv(as_viewer, reading_list, viewer):
    url = reverse("seminar-participation", args=[KOREA]) + "?format=csv"
    response = as_viewer(viewer).get(url)
    assert response.status_code == PARTICIPATION[viewer]
    body = response.content.decode()
    assert words_in(body) == set()
    if response.status_code != 200:
        assert "Member,Article" not in body
        return
    assert response["Content-Type"].startswith("text/csv")
    rows = {row["Member"]: row for row in csv.DictReader(io.StringIO(body))}
    # The instructor counts every note of the seminar she sees, the hidden one too.
    for member in MEMBERS:
        mine = [name for name in expected(viewer) if NOTES[root_of(name)].seminar == KOREA]
        mine = [name for name in mine if NOTES[name].author == member]
        notes_count = len([name for name in mine if not NOTES[name].parent])
        replies_count = len(mine) - notes_count
        assert (int(rows[member]["Notes"]), int(rows[member]["Replies"])) == (notes_count, replies_count), member
    assert set(rows) == MEMBERS


# The W3C API ----------------------------------------------------------------------------------


@viewers
def test_the_api_container_lists_only_what_the_viewer_may_see(annotation_api, api_token, article, notes, viewer):
    response = annotation_api.send("GET", annotation_api.container(article), token=api_token(viewer))
    assert response.status_code == 200
    body = response.content.decode()
    data = json.loads(body)
    assert data["total"] == len(expected(viewer))
    listed = {item["id"].rsplit("/", 1)[-1] for item in data["first"]["items"]}
    assert {name for name, note in notes.items() if str(note.pk) in listed} == expected(viewer)
    assert ids_in(body, notes) == expected(viewer)
    assert words_in(body) == expected(viewer)
    assert tags_in(body) == expected(viewer)


@viewers
def test_the_api_item_is_a_404_to_those_who_may_not_see_it(annotation_api, api_token, notes, viewer):
    token = api_token(viewer)
    shown = set()
    for name, note in notes.items():
        response = annotation_api.send("GET", annotation_api.item(note), token=token)
        body = response.content.decode()
        if response.status_code == 200:
            assert words_in(body) == {name}
            assert tags_in(body) == {name}
            shown.add(name)
        else:
            assert response.status_code == 404
            assert words_in(body) | tags_in(body) == set()
    assert shown == expected(viewer)


# Replies are as visible as their thread --------------------------------------------------------


@viewers
@pytest.mark.parametrize("thread", ["seminar", "public"])
def test_a_reply_is_as_visible_as_its_thread(as_viewer, annotation_api, api_token, notes, viewer, thread):
    reply = next(name for name, spec in NOTES.items() if spec.parent == thread)
    assert SEES[reply] == SEES[thread]
    client = as_viewer(viewer)
    detail = client.get(reverse("annotation-detail", args=[notes[reply].pk]), headers={"HX-Request": "true"})
    api = annotation_api.send("GET", annotation_api.item(notes[reply]), token=api_token(viewer))
    assert (detail.status_code == 200) == (api.status_code == 200) == (viewer in SEES[thread])


def test_a_reply_in_a_hidden_thread_is_as_hidden_as_its_thread(as_viewer, annotation_api, api_token, people, notes):
    """ines answers alice's hidden note; bob, who no longer sees the note, should not read the answer either."""
    reply = create_reply(people["ines"], notes["hidden"], comment="Please rephrase: capybara", tags=["hushed"])
    client = as_viewer("bob")
    assert "capybara" not in reading_page(client, notes["hidden"].article)  # holds today
    leaks = {
        "note detail": client.get(reverse("annotation-detail", args=[reply.pk]), headers={"HX-Request": "true"}),
        "person page": client.get(reverse("person-detail", args=["ines"])),
        "tag page": client.get(reverse("tag-detail", args=["hushed"])),
        "api item": annotation_api.send("GET", annotation_api.item(reply), token=api_token("bob")),
    }
    assert {path for path, response in leaks.items() if "capybara" in response.content.decode()} == set()
