"""Daily review: the schedule's arithmetic, what is due on a day, cards the same all day, and the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Annotation
from review import scheduling
from review.models import Card
from tests.annotations.factories import note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
QUOTES = ["harvest festival", "Treaty talks in Geneva", "cold war frontier", "peace and plenty"]


@pytest.fixture
def written(library, alice):
    """alice's four highlights on the library, written a week before DAY (and before today)."""
    notes = [note_on_quote(alice, library, quote) for quote in QUOTES]
    Annotation.objects.filter(pk__in=[note.pk for note in notes]).update(
        created=timezone.now() - datetime.timedelta(days=400)
    )
    return notes


def due_ids(user, day=DAY):
    return [note.pk for note in scheduling.due(user, day)]


# The schedule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("half_life", "answer", "after"),
    [(1, "good", 2), (2, "good", 4), (4, "easy", 12), (12, "again", 1), (1, "easy", 3), (300, "good", 365)],
)
def test_the_half_life_grows_with_each_success_and_again_starts_over(half_life, answer, after):
    assert scheduling.next_half_life(half_life, answer) == after


def test_an_unknown_answer_is_refused():
    with pytest.raises(scheduling.ReviewError, match="“maybe” is not an answer"):
        scheduling.next_half_life(1, "maybe")


def test_a_note_joins_review_the_day_after_it_is_written(library, alice):
    note = note_on_quote(alice, library, "harvest festival")
    today = timezone.localdate()
    assert due_ids(alice, today) == []
    assert due_ids(alice, today + datetime.timedelta(days=1)) == [note.pk]


def test_each_answer_schedules_the_next_showing(written, alice):
    note = written[0]
    card = scheduling.answer(alice, note, "good", DAY)
    assert (card.half_life, card.due) == (2, DAY + datetime.timedelta(days=2))
    assert note.pk not in due_ids(alice, DAY + datetime.timedelta(days=1))
    card = scheduling.answer(alice, note, "easy", DAY + datetime.timedelta(days=2))
    assert (card.half_life, card.due) == (6, DAY + datetime.timedelta(days=8))
    card = scheduling.answer(alice, note, "again", DAY + datetime.timedelta(days=8))
    assert (card.half_life, card.due, card.reviews, card.lapses) == (1, DAY + datetime.timedelta(days=9), 3, 1)


def test_a_card_not_due_cannot_be_answered(written, alice):
    scheduling.answer(alice, written[0], "good", DAY)
    with pytest.raises(
        scheduling.ReviewError, match="not due for review today: it comes back on 4 March 2026"
    ) as refused:
        scheduling.answer(alice, written[0], "good", DAY)
    assert refused.value.status == 409
    assert Card.objects.get().reviews == 1


def test_the_same_day_and_answers_give_the_same_cards(written, alice):
    first = [scheduling.card_of(note, DAY) for note in scheduling.todays_cards(alice, DAY)]
    again = [scheduling.card_of(note, DAY) for note in scheduling.todays_cards(alice, DAY)]
    assert [(card["note"].pk, card.get("hidden")) for card in first] == [
        (card["note"].pk, card.get("hidden")) for card in again
    ]


def test_the_hidden_word_is_a_word_of_the_quote_and_changes_from_day_to_day(written):
    note = written[1]  # "Treaty talks in Geneva"
    days = [DAY + datetime.timedelta(days=n) for n in range(10)]
    hidden = [note.quote_exact[slice(*scheduling.hidden_word(note, day))] for day in days]
    assert set(hidden) <= {"Treaty", "talks", "Geneva"}
    assert len(set(hidden)) > 1
    card = scheduling.card_of(note, DAY)
    assert card["before"] + card["hidden"] + card["after"] == note.quote_exact


def test_a_note_with_a_comment_asks_for_its_quote(library, alice):
    note = note_on_quote(alice, library, "glacier border", comment="Where the ice decides.")
    assert scheduling.card_of(note, DAY)["kind"] == "match"


def test_a_few_cards_a_day(library, alice, write_markdown):
    notes = [note_on_quote(alice, library, quote) for quote in QUOTES]
    notes += [note_on_quote(alice, library, "Treaty talks", comment=f"Thought {n}.") for n in range(8)]
    Annotation.objects.update(created=timezone.now() - datetime.timedelta(days=400))
    assert len(scheduling.todays_cards(alice, DAY)) == scheduling.DAILY == 10
    for note in list(scheduling.todays_cards(alice, DAY))[:3]:
        scheduling.answer(alice, note, "good", DAY)
    assert len(scheduling.todays_cards(alice, DAY)) == 7
    assert scheduling.due_count(alice, DAY) == 7


def test_a_note_left_out_is_not_shown_until_put_back(written, alice):
    scheduling.leave_out(written[0], DAY)
    assert written[0].pk not in due_ids(alice)
    scheduling.leave_out(written[0], DAY, left_out=False)
    assert written[0].pk in due_ids(alice)


def test_only_my_own_notes_come_up(written, alice, bob, library):
    note_on_quote(bob, library, "peace and plenty", visibility="public")
    Annotation.objects.update(created=timezone.now() - datetime.timedelta(days=400))
    assert set(due_ids(alice)) == {note.pk for note in written}
    assert len(due_ids(bob)) == 1


def test_notes_on_an_article_back_in_draft_do_not_come_up(written, alice, library):
    library.status = "draft"
    library.save()
    assert due_ids(alice) == []


# The page ----------------------------------------------------------------------------------


def test_the_page_shows_a_card_with_its_word_hidden_and_a_reveal(client, written, alice):
    client.force_login(alice)
    page = parse(client.get(reverse("review")).content.decode())
    card = page.one("article", class_="review-card")
    assert card.one("details", class_="review-reveal").one("summary").text == "Reveal"
    hidden = card.one("details").one("mark").text
    shown = card.find_all("blockquote", class_="review-quote")[0]  # the one before the reveal
    assert hidden not in shown.text.replace("(a hidden word)", "")
    assert "4 cards left today" in page.text


def test_answering_on_the_page_moves_to_the_next_card(client, written, alice):
    client.force_login(alice)
    first = parse(client.get(reverse("review")).content.decode()).one("article", class_="review-card").id
    note_id = first.removeprefix("card-")
    response = client.post(reverse("review-answer", args=[note_id]), {"answer": "good"}, follow=True)
    page = parse(response.content.decode())
    assert "It comes back in 2 days." in page.text
    assert page.one("article", class_="review-card").id != first
    assert "3 cards left today" in page.text


def test_the_header_counts_the_cards_due(client, written, alice, charlie):
    client.force_login(alice)
    link = parse(client.get("/").content.decode()).one("a", href=reverse("review"))
    assert link.one("span", class_="nav-count").text == "4"
    client.force_login(charlie)
    link = parse(client.get("/").content.decode()).one("a", href=reverse("review"))
    assert link.find_all("span", class_="nav-count") == []


def test_the_header_count_costs_the_same_with_more_notes(
    client, written, alice, library, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(100) as before:
        client.get(reverse("tag-list"))
    for n in range(15):
        note_on_quote(alice, library, "Treaty talks", comment=f"More {n}.")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("tag-list"))


def test_someone_elses_note_is_a_404_and_changes_nothing(client, library, alice, bob):
    note = note_on_quote(bob, library, "peace and plenty", visibility="public")
    Annotation.objects.update(created=timezone.now() - datetime.timedelta(days=400))
    client.force_login(alice)
    assert client.post(reverse("review-answer", args=[note.pk]), {"answer": "good"}).status_code == 404
    assert client.post(reverse("review-leave-out", args=[note.pk])).status_code == 404
    assert not Card.objects.exists()


def test_an_unknown_answer_is_a_400_and_changes_nothing(client, written, alice):
    client.force_login(alice)
    response = client.post(reverse("review-answer", args=[written[0].pk]), {"answer": "maybe"})
    assert response.status_code == 400
    assert "is not an answer: choose again, good or easy" in response.content.decode()
    assert not Card.objects.exists()


def test_a_card_answered_today_is_a_409(client, written, alice):
    client.force_login(alice)
    url = reverse("review-answer", args=[written[0].pk])
    assert client.post(url, {"answer": "good"}).status_code == 302
    response = client.post(url, {"answer": "easy"})
    assert response.status_code == 409
    assert Card.objects.get().half_life == 2


def test_answers_are_posted_and_need_a_sign_in(client, written, alice):
    url = reverse("review-answer", args=[written[0].pk])
    assert client.post(url, {"answer": "good"}).status_code == 302  # to the sign-in page
    assert not Card.objects.exists()
    client.force_login(alice)
    assert client.get(url).status_code == 405
    assert client.get(reverse("review-leave-out", args=[written[0].pk])).status_code == 405


def test_leave_out_and_put_back_on_the_page(client, written, alice):
    client.force_login(alice)
    url = reverse("review-leave-out", args=[written[0].pk])
    page = parse(client.post(url, follow=True).content.decode())
    assert "3 cards left today" in page.text
    assert page.one("section", class_="review-left-out").one("a").text == written[0].quote_exact
    client.post(url, {"put_back": "1"})
    assert not Card.objects.get().left_out


def test_the_page_says_what_to_do_with_no_notes(client, charlie):
    client.force_login(charlie)
    assert "No highlights to review yet" in client.get(reverse("review")).content.decode()


def test_the_page_needs_a_sign_in(client, db):
    assert client.get(reverse("review")).status_code == 302


def test_each_answer_says_when_the_note_comes_back(client, written, alice):
    scheduling.answer(alice, written[0], "good", DAY)
    for note in written[1:]:
        scheduling.leave_out(note, DAY)
    Card.objects.update(due=timezone.localdate())
    client.force_login(alice)
    page = parse(client.get(reverse("review")).content.decode())
    buttons = {button["value"]: button.text for button in page.one("div", class_="review-buttons").find_all("button")}
    assert buttons == {"again": "Again 1 day", "good": "Good 4 days", "easy": "Easy 6 days"}


def test_with_htmx_an_answer_answers_with_the_next_card_in_place(client, written, alice):
    client.force_login(alice)
    url = reverse("review-answer", args=[written[0].pk])
    response = client.post(url, {"answer": "easy"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    page = parse(body)
    assert page.one("p", class_="review-said").text == "It comes back in 3 days."
    assert "3 cards left today" in page.one("div", id="review").text
    assert page.one("a", id="nav-review").one("span", class_="nav-count").text == "3"
    refused = client.post(url, {"answer": "good"}, headers={"HX-Request": "true"})
    assert refused.status_code == 409
    assert "<html" not in refused.content.decode()
    assert "not due for review today" in refused.content.decode()
