"""Seminar pages: the list, creating one, its page, joining by link, leaving, running it, participation.

The cast: alice instructs "Korea 2006" (reading list: the seed article), bob takes part in it,
charlie is in none of it and instructs his own seminar, "Other", which reads the same article.
Every refused request is checked twice: its status, and that the seminars, memberships and
reading lists in the database are exactly what they were before it (`snapshot()`).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations.discussion import mark_answer
from annotations.models import Annotation
from annotations.writing import create_reply, delete_note
from seminars.models import Membership, ReadingListEntry, Seminar
from seminars.participation import COLUMNS, csv_cell
from tests.annotations.factories import (
    PRIVATE,
    PUBLIC,
    get_page,
    import_markdown,
    note_on_article,
    note_on_quote,
    note_total,
    reading_page,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

INSTRUCTOR, PARTICIPANT = Membership.Role.INSTRUCTOR, Membership.Role.PARTICIPANT
SEMINAR = Annotation.Visibility.SEMINAR
QUOTE = "North Korea shot the missiles"
CSV_HEADER = [label for _, label in COLUMNS]


# Helpers ---------------------------------------------------------------------------------


def join(seminar, *users, role=PARTICIPANT):
    for user in users:
        Membership.objects.create(seminar=seminar, user=user, role=role)


def seminar_note(author, seminar, article, comment="A note for the seminar", **fields):
    return note_on_article(author, article, comment=comment, visibility=SEMINAR, seminar=seminar, **fields)


def url(name, seminar, *args):
    return reverse(name, args=[seminar.slug, *args])


def join_url(seminar):
    seminar.refresh_from_db()
    return reverse("seminar-join", args=[seminar.join_code])


def snapshot():
    """What the seminar views may change: seminars, memberships and reading lists."""
    return (
        sorted(Seminar.objects.values_list("slug", "name", "description", "join_code")),
        sorted(Membership.objects.values_list("seminar__slug", "user__username", "role")),
        sorted(ReadingListEntry.objects.values_list("seminar__slug", "article__slug", "position")),
    )


def roles(seminar):
    return dict(seminar.memberships.values_list("user__username", "role"))


def reading_list(seminar):
    return list(seminar.reading_list.values_list("article__slug", flat=True))


def signed_in(client, user):
    client.force_login(user)
    return client


def assert_login_redirect(response, path):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")), response["Location"]
    assert response["Location"].endswith(f"?next={path}")


def note_count_on_page(page, article):
    """The "N notes" shown beside `article` on a seminar's reading list."""
    for item in parse(page).one("ul", class_="reading-list").find_all("li"):
        if item.one("a")["href"].startswith(f"{article.get_absolute_url()}?seminar="):
            return int(re.fullmatch(r"(\d+) notes?", item.one("span", class_="muted").text).group(1))
    raise AssertionError(f"{article.title} is not on the reading list")


def participation_rows(client, seminar, query=""):
    response = client.get(url("seminar-participation", seminar) + query)
    assert response.status_code == 200
    return response.context["rows"]


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def queries_for(client, path):
    """The number of queries a GET of `path` makes, measured after a warm-up request."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


# Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def seminar(seminar, article):
    """The shared "Korea 2006" (alice instructs, bob takes part), reading the seed article."""
    seminar.add_to_reading_list(article)
    return seminar


@pytest.fixture
def other_seminar(make_seminar, charlie, article):
    return make_seminar("Other", instructors=[charlie], articles=[article])


@pytest.fixture
def doves(write_markdown):
    return import_markdown(write_markdown, "Title: Doves\n\nPeace on the peninsula, said the doves.\n", slug="doves")


@pytest.fixture
def draft(write_markdown):
    return import_markdown(write_markdown, "Title: Draft\n\nNot ready yet.\n", slug="draft", draft=True)


# The list of my seminars -----------------------------------------------------------------


def test_the_seminar_list_shows_my_seminars_and_only_mine(
    client, make_seminar, alice, bob, seminar, other_seminar, charlie
):
    seminar_b = make_seminar("Balkans 1999", instructors=[bob], participants=[alice])
    page = get_page(signed_in(client, alice), reverse("seminar-list"))
    assert "Korea 2006" in page
    assert "Balkans 1999" in page
    assert page.index("Balkans 1999") < page.index("Korea 2006")  # by name
    assert seminar.get_absolute_url() in page
    assert seminar_b.get_absolute_url() in page
    assert "Other" not in page
    assert other_seminar.get_absolute_url() not in page
    assert page.count('<span class="badge">Instructor</span>') == 1  # alice instructs Korea, not Balkans


def test_the_seminar_list_of_someone_in_no_seminar_says_so(client, charlie, seminar):
    page = get_page(signed_in(client, charlie), reverse("seminar-list"))
    assert "You are not in any seminar yet." in page
    assert "Korea 2006" not in page


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("seminar-list", []),
        ("seminar-create", []),
        ("seminar-detail", ["korea-2006"]),
        ("seminar-participation", ["korea-2006"]),
    ],
)
def test_anonymous_readers_are_sent_to_sign_in(client, seminar, name, args):
    path = reverse(name, args=args)
    assert_login_redirect(client.get(path), path)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("seminar-create", []),
        ("seminar-leave", ["korea-2006"]),
        ("seminar-renew-link", ["korea-2006"]),
        ("seminar-add-article", ["korea-2006"]),
        ("seminar-remove-article", ["korea-2006", "north-korean-missile-crisis"]),
    ],
)
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, seminar, doves, name, args):
    before = snapshot()
    path = reverse(name, args=args)
    assert_login_redirect(client.post(path, {"name": "Sneaky", "article": "doves"}), path)
    assert snapshot() == before


def test_anonymous_join_is_sent_to_sign_in_and_joins_nobody(client, seminar):
    before, path = snapshot(), join_url(seminar)
    assert_login_redirect(client.get(path), path)
    assert_login_redirect(client.post(path), path)
    assert snapshot() == before


# Creating a seminar ----------------------------------------------------------------------


def test_the_new_seminar_form_shows(client, alice):
    page = get_page(signed_in(client, alice), reverse("seminar-create"))
    assert 'name="name"' in page
    assert 'name="description"' in page


def test_creating_a_seminar_makes_its_creator_the_instructor(client, alice):
    response = signed_in(client, alice).post(
        reverse("seminar-create"), {"name": "  Korea 2006  ", "description": "We read about missiles."}
    )
    seminar = Seminar.objects.get()
    assert (seminar.name, seminar.slug, seminar.description) == ("Korea 2006", "korea-2006", "We read about missiles.")
    assert response.status_code == 302
    assert response["Location"] == seminar.get_absolute_url()
    assert roles(seminar) == {"alice": INSTRUCTOR}
    page = get_page(client, seminar.get_absolute_url())
    assert "Your seminar is ready." in page
    assert seminar.join_code in page


def test_two_seminars_with_the_same_name_get_different_slugs(client, alice, bob):
    signed_in(client, alice).post(reverse("seminar-create"), {"name": "Korea 2006"})
    signed_in(client, bob).post(reverse("seminar-create"), {"name": "Korea 2006"})
    first, second = Seminar.objects.order_by("pk")
    assert (first.slug, second.slug) == ("korea-2006", "korea-2006-2")
    assert (roles(first), roles(second)) == ({"alice": INSTRUCTOR}, {"bob": INSTRUCTOR})
    assert "bob" in get_page(client, second.get_absolute_url())
    get_page(client, first.get_absolute_url(), status=404)  # bob's seminar is not alice's


def test_a_name_without_letters_or_digits_still_gets_a_slug(client, alice):
    signed_in(client, alice).post(reverse("seminar-create"), {"name": "!!!"})
    signed_in(client, alice).post(reverse("seminar-create"), {"name": "???"})
    assert sorted(Seminar.objects.values_list("slug", flat=True)) == ["seminar", "seminar-2"]


def test_a_name_of_the_longest_length_is_accepted(client, alice):
    response = signed_in(client, alice).post(reverse("seminar-create"), {"name": "x" * 120})
    assert response.status_code == 302
    assert Seminar.objects.get().name == "x" * 120


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the seminar a name."),
        ("   \t ", "Give the seminar a name."),
        ("x" * 121, "The name is longer than 120 characters."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_a_bad_name_is_refused_with_a_message_and_nothing_is_created(client, alice, seminar, name, message):
    before = snapshot()
    response = signed_in(client, alice).post(reverse("seminar-create"), {"name": name, "description": "Kept"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Kept" in page
    assert snapshot() == before


@pytest.mark.parametrize("field", ["name", "description"])
def test_a_nul_character_is_refused_with_a_message_and_nothing_is_created(client, alice, seminar, field):
    before = snapshot()
    client.raise_request_exception = False
    data = {"name": "Korea 2006", "description": "Kept", field: "Bad\x00input"}
    response = signed_in(client, alice).post(reverse("seminar-create"), data)
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("name", ["New", "Join"])
def test_a_seminar_named_like_a_seminar_url_is_still_reachable(client, alice, name):
    response = signed_in(client, alice).post(reverse("seminar-create"), {"name": name}, follow=True)
    seminar = Seminar.objects.get()
    assert response.status_code == 200
    assert seminar.join_code in response.content.decode()
    assert response.context["seminar"] == seminar
    assert participation_rows(client, seminar) == []


# The seminar page ------------------------------------------------------------------------


def test_a_member_sees_the_reading_list_and_the_members(client, bob, seminar, article, doves):
    ReadingListEntry.objects.create(seminar=seminar, article=doves, position=2)
    page = get_page(signed_in(client, bob), seminar.get_absolute_url())
    assert "Korea 2006" in page
    assert "Reading group Korea 2006." in page
    assert page.index(article.title) < page.index("Doves")
    assert f'href="{article.get_absolute_url()}?seminar=korea-2006"' in page
    assert 'id="member-alice"' in page
    assert 'id="member-bob"' in page
    assert "charlie" not in page


def test_the_reading_list_counts_this_seminars_notes_only(
    client, alice, bob, charlie, seminar, other_seminar, article, doves
):
    ReadingListEntry.objects.create(seminar=seminar, article=doves, position=2)
    seminar_note(alice, seminar, article)
    seminar_note(bob, seminar, article)
    seminar_note(bob, seminar, doves)
    note_on_article(alice, article, comment="alice alone")  # private
    note_on_article(bob, article, comment="bob to the world", visibility=PUBLIC)
    seminar_note(charlie, other_seminar, article)
    for viewer in (alice, bob):
        page = get_page(signed_in(client, viewer), seminar.get_absolute_url())
        assert (note_count_on_page(page, article), note_count_on_page(page, doves)) == (2, 1)
    page = get_page(signed_in(client, charlie), other_seminar.get_absolute_url())
    assert note_count_on_page(page, article) == 1


def test_the_reading_list_count_matches_the_reading_page_it_links_to(client, alice, bob, seminar, article):
    question = seminar_note(bob, seminar, article, comment="Why now?", is_question=True)
    create_reply(alice, question, comment="Because of the talks.")
    seminar_note(alice, seminar, article)
    signed_in(client, bob)
    shown = note_count_on_page(get_page(client, seminar.get_absolute_url()), article)
    assert shown == note_total(reading_page(client, article, "?seminar=korea-2006")) == 2


def test_a_participant_does_not_see_a_draft_on_the_reading_list(client, bob, curator, seminar, draft):
    join(seminar, curator, role=INSTRUCTOR)
    ReadingListEntry.objects.create(seminar=seminar, article=draft, position=2)
    assert "Draft" in get_page(signed_in(client, curator), seminar.get_absolute_url())
    get_page(signed_in(client, bob), draft.get_absolute_url(), status=404)
    assert "Draft" not in get_page(client, seminar.get_absolute_url())


def test_only_instructors_see_the_join_link_and_the_tools(client, alice, bob, seminar, doves):
    instructor_page = get_page(signed_in(client, alice), seminar.get_absolute_url())
    participant_page = get_page(signed_in(client, bob), seminar.get_absolute_url())
    tools = [
        seminar.join_code,
        url("seminar-renew-link", seminar),
        url("seminar-participation", seminar),
        url("seminar-add-article", seminar),
        url("seminar-remove-member", seminar, bob.pk),
        url("seminar-remove-article", seminar, "north-korean-missile-crisis"),
    ]
    for tool in tools:
        assert tool in instructor_page, tool
        assert tool not in participant_page, tool
    assert "http://testserver" + join_url(seminar) in instructor_page
    assert '<option value="doves">' in instructor_page
    assert '<option value="north-korean-missile-crisis">' not in instructor_page  # already listed
    assert url("seminar-leave", seminar) in participant_page


def test_a_seminar_you_are_not_in_does_not_exist_for_you(client, charlie, seminar):
    signed_in(client, charlie)
    not_in = client.get(seminar.get_absolute_url())
    missing = client.get(reverse("seminar-detail", args=["no-such-seminar"]))
    assert not_in.status_code == missing.status_code == 404
    assert "Korea 2006" not in not_in.content.decode()


# Joining by link -------------------------------------------------------------------------


def test_the_join_link_asks_first_then_joins_as_a_participant(client, charlie, seminar):
    signed_in(client, charlie)
    page = get_page(client, join_url(seminar))
    assert "Join “Korea 2006”?" in page
    assert "Reading group Korea 2006." in page
    assert "charlie" not in roles(seminar)  # looking is not joining
    response = client.post(join_url(seminar))
    assert response.status_code == 302
    assert response["Location"] == seminar.get_absolute_url()
    assert roles(seminar)["charlie"] == PARTICIPANT
    assert "Welcome to Korea 2006." in get_page(client, seminar.get_absolute_url())


def test_joining_twice_is_harmless(client, charlie, seminar):
    signed_in(client, charlie)
    client.post(join_url(seminar))
    again = client.post(join_url(seminar))
    looked = client.get(join_url(seminar))
    assert again.status_code == looked.status_code == 302
    assert looked["Location"] == seminar.get_absolute_url()
    assert Membership.objects.filter(seminar=seminar, user=charlie).count() == 1
    assert "You are already a member of Korea 2006." in get_page(client, seminar.get_absolute_url())


def test_an_instructor_following_the_join_link_stays_an_instructor(client, alice, seminar):
    before = snapshot()
    response = signed_in(client, alice).post(join_url(seminar))
    assert response.status_code == 302
    assert snapshot() == before
    assert roles(seminar)["alice"] == INSTRUCTOR


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_join_code_is_a_404_that_explains(client, charlie, seminar, method):
    before = snapshot()
    response = getattr(signed_in(client, charlie), method)(reverse("seminar-join", args=["not-a-code"]))
    assert response.status_code == 404
    assert "This join link does not work" in response.content.decode()
    assert snapshot() == before


def test_renewing_the_link_retires_the_old_one(client, alice, charlie, seminar):
    old = join_url(seminar)
    response = signed_in(client, alice).post(url("seminar-renew-link", seminar))
    assert response.status_code == 302
    new = join_url(seminar)
    assert new != old
    assert "the old one no longer works" in get_page(client, seminar.get_absolute_url())
    signed_in(client, charlie)
    for method in (client.get, client.post):
        response = method(old)
        assert response.status_code == 404
        assert "This join link does not work" in response.content.decode()
    assert "charlie" not in roles(seminar)
    client.post(new)
    assert roles(seminar)["charlie"] == PARTICIPANT


# Leaving ---------------------------------------------------------------------------------


def test_a_participant_leaves_and_their_notes_stay(client, bob, seminar, article):
    note = seminar_note(bob, seminar, article)
    response = signed_in(client, bob).post(url("seminar-leave", seminar))
    assert response.status_code == 302
    assert response["Location"] == reverse("seminar-list")
    assert roles(seminar) == {"alice": INSTRUCTOR}
    assert Annotation.objects.filter(pk=note.pk, seminar=seminar).exists()
    assert "You left Korea 2006." in get_page(client, reverse("seminar-list"))
    get_page(client, seminar.get_absolute_url(), status=404)


def test_the_last_instructor_cannot_leave(client, alice, seminar):
    before = snapshot()
    response = signed_in(client, alice).post(url("seminar-leave", seminar))
    assert response.status_code == 400
    assert "You are this seminar&#x27;s only instructor" in response.content.decode()
    assert snapshot() == before


def test_an_instructor_with_a_co_instructor_can_leave(client, alice, charlie, seminar):
    join(seminar, charlie, role=INSTRUCTOR)
    assert signed_in(client, alice).post(url("seminar-leave", seminar)).status_code == 302
    assert roles(seminar) == {"bob": PARTICIPANT, "charlie": INSTRUCTOR}


# Running a seminar: members and the reading list ------------------------------------------


def test_an_instructor_removes_a_member(client, alice, bob, seminar):
    response = signed_in(client, alice).post(url("seminar-remove-member", seminar, bob.pk))
    assert response.status_code == 302
    assert response["Location"] == seminar.get_absolute_url()
    assert roles(seminar) == {"alice": INSTRUCTOR}
    assert "bob is no longer a member." in get_page(client, seminar.get_absolute_url())


def test_an_instructor_cannot_remove_themselves(client, alice, seminar):
    before = snapshot()
    response = signed_in(client, alice).post(url("seminar-remove-member", seminar, alice.pk))
    assert response.status_code == 400
    assert "use “Leave”" in response.content.decode()
    assert snapshot() == before


def test_removing_someone_who_is_not_a_member_is_a_404(client, alice, charlie, seminar, other_seminar):
    before = snapshot()
    signed_in(client, alice)
    assert client.post(url("seminar-remove-member", seminar, charlie.pk)).status_code == 404
    assert client.post(url("seminar-remove-member", seminar, 999_999)).status_code == 404
    assert snapshot() == before


def test_an_instructor_adds_articles_to_the_end_of_the_reading_list(client, alice, seminar, doves):
    response = signed_in(client, alice).post(url("seminar-add-article", seminar), {"article": "doves"})
    assert response.status_code == 302
    assert response["Location"] == seminar.get_absolute_url()
    assert reading_list(seminar) == ["north-korean-missile-crisis", "doves"]
    assert seminar.reading_list.get(article=doves).position == 2
    assert "“Doves” is on the reading list." in get_page(client, seminar.get_absolute_url())


def test_adding_a_listed_article_again_changes_nothing(client, alice, seminar):
    before = snapshot()
    response = signed_in(client, alice).post(
        url("seminar-add-article", seminar), {"article": "north-korean-missile-crisis"}
    )
    assert response.status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize("posted", [{"article": "no-such-article"}, {"article": ""}, {}, {"article": "draft"}])
def test_adding_an_unknown_article_is_refused_with_a_message(client, alice, seminar, draft, posted):
    before = snapshot()
    response = signed_in(client, alice).post(url("seminar-add-article", seminar), posted)
    assert response.status_code == 400
    assert "Choose an article from the list." in response.content.decode()
    assert snapshot() == before


def test_staff_instructors_may_list_a_draft(client, curator, seminar, draft):
    join(seminar, curator, role=INSTRUCTOR)
    signed_in(client, curator).post(url("seminar-add-article", seminar), {"article": "draft"})
    assert reading_list(seminar) == ["north-korean-missile-crisis", "draft"]


def test_an_instructor_removes_an_article_and_its_notes_stay(client, alice, bob, seminar, article):
    note = seminar_note(bob, seminar, article)
    response = signed_in(client, alice).post(url("seminar-remove-article", seminar, article.slug))
    assert response.status_code == 302
    assert reading_list(seminar) == []
    assert Annotation.objects.filter(pk=note.pk).exists()
    assert "its notes are kept" in get_page(client, seminar.get_absolute_url())


def test_removing_an_article_that_is_not_listed_is_a_404(client, alice, seminar, doves):
    before = snapshot()
    signed_in(client, alice)
    assert client.post(url("seminar-remove-article", seminar, "doves")).status_code == 404
    assert client.post(url("seminar-remove-article", seminar, "no-such-article")).status_code == 404
    assert snapshot() == before


INSTRUCTOR_ACTIONS = [
    ("seminar-renew-link", lambda users: [], {}),
    ("seminar-remove-member", lambda users: [users["alice"].pk], {}),
    ("seminar-remove-member", lambda users: [users["bob"].pk], {}),
    ("seminar-add-article", lambda users: [], {"article": "doves"}),
    ("seminar-remove-article", lambda users: ["north-korean-missile-crisis"], {}),
]
ACTION_IDS = ["renew-link", "remove-instructor", "remove-self", "add-article", "remove-article"]


@pytest.mark.parametrize(("name", "args", "data"), INSTRUCTOR_ACTIONS, ids=ACTION_IDS)
def test_a_participant_may_not_run_the_seminar(client, alice, bob, seminar, doves, name, args, data):
    before = snapshot()
    response = signed_in(client, bob).post(url(name, seminar, *args({"alice": alice, "bob": bob})), data)
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "args", "data"), INSTRUCTOR_ACTIONS, ids=ACTION_IDS)
def test_a_non_member_gets_404_for_every_seminar_action(client, alice, bob, charlie, seminar, doves, name, args, data):
    before = snapshot()
    response = signed_in(client, charlie).post(url(name, seminar, *args({"alice": alice, "bob": bob})), data)
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("seminar-leave", []),
        ("seminar-renew-link", []),
        ("seminar-add-article", []),
        ("seminar-remove-article", ["north-korean-missile-crisis"]),
    ],
)
def test_actions_refuse_get(client, alice, seminar, name, args):
    before = snapshot()
    assert signed_in(client, alice).get(url(name, seminar, *args), {"article": "doves"}).status_code == 405
    assert snapshot() == before


def test_a_remove_member_get_changes_nothing(client, alice, bob, seminar):
    before = snapshot()
    assert signed_in(client, alice).get(url("seminar-remove-member", seminar, bob.pk)).status_code == 405
    assert snapshot() == before


def test_the_create_and_join_pages_refuse_other_methods(client, charlie, seminar):
    before = snapshot()
    signed_in(client, charlie)
    assert client.put(reverse("seminar-create")).status_code == 405
    assert client.delete(join_url(seminar)).status_code == 405
    assert snapshot() == before


# Participation ---------------------------------------------------------------------------


@pytest.fixture
def discussion(alice, bob, charlie, seminar, other_seminar, article, doves):
    """On the seed article: bob's two notes and a question; alice's reply answers it.

    Around them, notes that must not count: bob's private and public notes, a note bob deleted,
    and bob's and charlie's notes in charlie's seminar, which bob also belongs to.
    """
    ReadingListEntry.objects.create(seminar=seminar, article=doves, position=2)
    join(other_seminar, bob)
    seminar_note(bob, seminar, article, comment="one two three")
    note_on_quote(bob, article, QUOTE, comment="four five", visibility=SEMINAR, seminar=seminar)
    question = seminar_note(bob, seminar, article, comment="Why did they launch?", is_question=True)
    answer = create_reply(alice, question, comment="Because of the talks.")
    mark_answer(bob, answer)
    delete_note(seminar_note(bob, seminar, article, comment="gone gone gone gone"))
    note_on_article(bob, article, comment="private private private")
    note_on_article(bob, article, comment="public public public", visibility=PUBLIC)
    seminar_note(bob, other_seminar, article, comment="elsewhere elsewhere elsewhere")
    seminar_note(charlie, other_seminar, article, comment="charlie secretword")
    note_on_article(charlie, article, comment="charlie privateword", visibility=PRIVATE)
    return {"question": question, "answer": answer}


def test_participation_has_a_row_per_member_and_article(client, alice, seminar, article, doves, discussion):
    rows = participation_rows(signed_in(client, alice), seminar)
    table = {(row["member"], row["article"]): row for row in rows}
    assert sorted(table) == sorted((member, title) for member in ("alice", "bob") for title in (article.title, "Doves"))
    bob, alice_row = table["bob", article.title], table["alice", article.title]
    question = Annotation.objects.get(pk=discussion["question"].pk)
    answer = Annotation.objects.get(pk=discussion["answer"].pk)
    assert {key: bob[key] for key in ("notes", "replies", "words", "questions", "answers")} == {
        "notes": 3,
        "replies": 0,
        "words": 3 + 2 + 4,
        "questions": 1,
        "answers": 0,
    }
    assert bob["last"] == question.created
    assert {key: alice_row[key] for key in ("notes", "replies", "words", "questions", "answers")} == {
        "notes": 0,
        "replies": 1,
        "words": 4,
        "questions": 0,
        "answers": 1,
    }
    assert alice_row["last"] == answer.created
    for member in ("alice", "bob"):
        assert table[member, "Doves"] == {
            "member": member,
            "article": "Doves",
            **{"notes": 0, "replies": 0, "words": 0, "questions": 0, "answers": 0, "last": None},
        }


def test_the_participation_page_shows_the_table(client, alice, seminar, article, discussion):
    page = get_page(signed_in(client, alice), url("seminar-participation", seminar))
    assert all(f">{label}" in page for label in CSV_HEADER)
    assert "<tr><td>bob</td><td>North Korean Missile Crisis</td><td>3</td><td>0</td><td>9</td><td>1</td>" in page
    assert "charlie" not in page


def test_participation_of_a_seminar_with_no_articles_says_what_to_do(client, alice, seminar):
    seminar.reading_list.all().delete()
    page = get_page(signed_in(client, alice), url("seminar-participation", seminar))
    assert "add articles to the reading list" in page


def test_participation_is_for_instructors(client, bob, charlie, seminar, discussion):
    assert signed_in(client, bob).get(url("seminar-participation", seminar)).status_code == 403
    assert signed_in(client, bob).get(url("seminar-participation", seminar) + "?format=csv").status_code == 403
    assert signed_in(client, charlie).get(url("seminar-participation", seminar)).status_code == 404


def test_participation_sorts_by_a_column_both_ways(client, alice, seminar, article, discussion):
    signed_in(client, alice)
    by_member = [(row["member"], row["article"]) for row in participation_rows(client, seminar)]
    assert [member for member, _ in by_member] == ["alice", "alice", "bob", "bob"]
    by_words = [row["words"] for row in participation_rows(client, seminar, "?sort=words")]
    by_words_desc = [row["words"] for row in participation_rows(client, seminar, "?sort=words&order=desc")]
    assert by_words == [0, 0, 4, 9]
    assert by_words_desc == [9, 4, 0, 0]
    by_member_desc = [row["member"] for row in participation_rows(client, seminar, "?order=desc")]
    assert by_member_desc == ["bob", "bob", "alice", "alice"]
    page = get_page(client, url("seminar-participation", seminar) + "?sort=words")
    assert 'aria-sort="ascending"' in page
    assert 'href="?sort=words&amp;order=desc"' in page


def test_an_unknown_sort_falls_back_to_members(client, alice, seminar, discussion):
    signed_in(client, alice)
    default = participation_rows(client, seminar)
    assert participation_rows(client, seminar, "?sort=comment&order=sideways") == default
    assert participation_rows(client, seminar, "?sort=__class__") == default


def test_sorting_by_last_activity_puts_readers_without_any_last(client, alice, bob, seminar, article, discussion):
    signed_in(client, alice)
    rows = participation_rows(client, seminar, "?sort=last")
    assert [row["last"] is None for row in rows] == [False, False, True, True]
    assert rows[0]["last"] < rows[1]["last"]


def test_most_recent_activity_first_starts_with_the_most_recent(client, alice, seminar, discussion):
    rows = participation_rows(signed_in(client, alice), seminar, "?sort=last&order=desc")
    assert rows[0]["last"] == max(row["last"] for row in rows if row["last"])


def test_the_csv_has_a_header_and_a_row_per_member_and_article(client, alice, seminar, article, discussion):
    response = signed_in(client, alice).get(url("seminar-participation", seminar) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="korea-2006-participation.csv"'
    header, *rows = csv_rows(response)
    assert header == CSV_HEADER
    assert len(rows) == 2 * 2
    assert all(len(row) == len(CSV_HEADER) for row in rows)
    assert [row[:7] for row in rows if row[0] == "bob"] == [
        ["bob", article.title, "3", "0", "9", "1", "0"],
        ["bob", "Doves", "0", "0", "0", "0", "0"],
    ]
    text = response.content.decode()
    for word in ("charlie", "secretword", "privateword", "elsewhere", "private", "public", "gone"):
        assert word not in text


def test_the_csv_follows_the_chosen_sort(client, alice, seminar, discussion):
    signed_in(client, alice)
    response = client.get(url("seminar-participation", seminar) + "?format=csv&sort=words&order=desc")
    assert [row[4] for row in csv_rows(response)[1:]] == ["9", "4", "0", "0"]


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(client, django_user_model, alice, seminar, write_markdown):
    formulas = ["=cmd", "+plus", "-minus", "@at"]
    for username in formulas:
        join(seminar, django_user_model.objects.create_user(username))
    sums = import_markdown(write_markdown, "Title: =1+2\n\nSums.\n", slug="sums")
    ReadingListEntry.objects.create(seminar=seminar, article=sums, position=2)
    response = signed_in(client, alice).get(url("seminar-participation", seminar) + "?format=csv")
    cells = [cell for row in csv_rows(response) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert {"'" + name for name in formulas} <= set(cells)
    assert "'" + sums.title in cells


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=SUM(A1)", "'=SUM(A1)"), ("-2", "'-2"), ("@x", "'@x"), ("+1", "'+1"), ("a=b", "a=b"), (None, ""), (7, "7")],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


# Query counts ----------------------------------------------------------------------------


def grow(seminar, article, members, notes):
    """Add `members` readers to the seminar and `notes` seminar notes on `article`, half of them replies."""
    User = get_user_model()
    User.objects.bulk_create([User(username=f"reader{n:03}") for n in range(members)])
    readers = list(User.objects.filter(username__startswith="reader").order_by("username"))
    Membership.objects.bulk_create([Membership(seminar=seminar, user=reader) for reader in readers])
    start = timezone.now()

    def row(n, **fields):
        return Annotation(
            author=readers[n % len(readers)],
            article=article,
            visibility=SEMINAR,
            seminar=seminar,
            article_revision=article.revision,
            comment=f"Bulk note {n} with some words",
            created=start + timedelta(seconds=n),
            **fields,
        )

    opening = [row(n, is_question=n % 5 == 0) for n in range(notes // 2)]
    Annotation.objects.bulk_create(opening)
    replies = [row(notes // 2 + n, parent=note, thread=note) for n, note in enumerate(opening)]
    Annotation.objects.bulk_create(replies)
    for question, reply in zip(opening, replies, strict=True):
        if question.is_question:
            Annotation.objects.filter(pk=question.pk).update(answer=reply)


@pytest.mark.parametrize("viewer", ["alice", "bob"])
def test_the_seminar_page_makes_as_many_queries_for_thirty_members_and_200_notes_as_for_two(
    client, alice, bob, seminar, article, doves, viewer
):
    ReadingListEntry.objects.create(seminar=seminar, article=doves, position=2)
    signed_in(client, {"alice": alice, "bob": bob}[viewer])
    small = queries_for(client, seminar.get_absolute_url())
    grow(seminar, article, members=28, notes=200)
    page = get_page(client, seminar.get_absolute_url())
    assert note_count_on_page(page, article) == 100  # threads opened; replies not counted
    assert page.count('id="member-') == 30
    assert queries_for(client, seminar.get_absolute_url()) == small


@pytest.mark.parametrize("query", ["", "?sort=words&order=desc", "?format=csv"])
def test_the_participation_page_makes_as_many_queries_for_thirty_members_and_200_notes_as_for_two(
    client, alice, seminar, article, doves, query
):
    ReadingListEntry.objects.create(seminar=seminar, article=doves, position=2)
    signed_in(client, alice)
    path = url("seminar-participation", seminar) + query
    small = queries_for(client, path)
    grow(seminar, article, members=28, notes=200)
    rows = participation_rows(client, seminar)
    assert len(rows) == 30 * 2
    assert sum(row["notes"] for row in rows) == sum(row["replies"] for row in rows) == 100
    assert sum(row["answers"] for row in rows) == 20
    assert queries_for(client, path) == small
