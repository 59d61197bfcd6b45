"""Discussion around notes through the web views: replies, threads, the inbox, questions and
answers, upvotes, endorsements and moderation (hide/unhide).

The seminar "Korea 2006" has ines as its instructor and alice, bob and erin as participants;
charlie is in no seminar.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation, Notification, Upvote
from annotations.writing import create_reply
from tests.annotations.factories import (
    PUBLIC,
    create_url,
    get_page,
    marked_ids,
    note_cards,
    note_on_quote,
    paragraph_counts,
    reading_page,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

SEMINAR = "seminar"
HTMX = {"HX-Request": "true"}
ACTIONS = ["upvote", "unvote", "mark-answer", "unmark-answer", "endorse", "unendorse", "hide", "unhide"]


@pytest.fixture
def ines(django_user_model):
    return django_user_model.objects.create_user("ines", "ines@example.com", "pw")


@pytest.fixture
def erin(django_user_model):
    return django_user_model.objects.create_user("erin", "erin@example.com", "pw")


@pytest.fixture
def seminar(make_seminar, alice, bob, erin, ines):
    return make_seminar(instructors=[ines], participants=[alice, bob, erin])


@pytest.fixture
def seminar_note(alice, article, seminar):
    return note_on_quote(
        alice, article, "unpredictability", comment="Why so sudden?", visibility=SEMINAR, seminar=seminar
    )


@pytest.fixture
def public_note(alice, article):
    return note_on_quote(alice, article, "kind of mysteries", comment="Mysteries indeed.", visibility=PUBLIC)


@pytest.fixture
def private_note(alice, article):
    return note_on_quote(alice, article, "North Korea shot the missiles", comment="Just for me.")


@pytest.fixture
def question(alice, article, seminar):
    return note_on_quote(
        alice, article, "abrupt policy changes", comment="Which changes?", visibility=SEMINAR, seminar=seminar,
        is_question=True,
    )  # fmt: skip


def reply_url(note):
    return reverse("annotation-reply", args=[note.pk])


def discuss_url(note, action):
    return reverse(f"annotation-{action}", args=[note.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def discuss(client, user, note, action, **headers):
    return signed_in(client, user).post(discuss_url(note, action), headers=headers)


def card(page, note):
    """The HTML of one note card on the page ("" when it is not there)."""
    found = parse(page).find("article", id=f"note-{note.pk}")
    return found.html if found else ""


def reply_depths(page):
    """[(depth, note id)] of every reply shown in a thread on the page, in order."""
    found = []
    for reply in parse(page).find_all("li", class_="reply"):
        depth = next(name.removeprefix("depth-") for name in reply.classes if name.startswith("depth-"))
        found.append((depth, reply.one("article", class_="note").id.removeprefix("note-")))
    return found


# Replies ------------------------------------------------------------------------------------


def test_a_reply_is_stored_in_the_thread_with_its_audience(client, bob, seminar_note, seminar):
    response = signed_in(client, bob).post(reply_url(seminar_note), {"comment": "Because of the talks."})
    reply = Annotation.objects.get(parent=seminar_note)
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{seminar_note.article.slug}/#note-{reply.pk}"
    assert (reply.author, reply.thread, reply.comment) == (bob, seminar_note, "Because of the talks.")
    assert (reply.visibility, reply.seminar) == (SEMINAR, seminar)
    assert (reply.start_key, reply.quote_exact) == ("", "")


def test_a_reply_to_a_reply_nests_in_the_same_thread(client, alice, bob, public_note):
    first = create_reply(bob, public_note, comment="First.")
    response = signed_in(client, alice).post(reply_url(first), {"comment": "Second."})
    assert response.status_code == 302
    second = Annotation.objects.get(comment="Second.")
    assert (second.parent, second.thread, second.visibility, second.seminar) == (first, public_note, PUBLIC, None)


def test_an_htmx_reply_answers_with_the_rerendered_thread(client, bob, public_note):
    response = signed_in(client, bob).post(reply_url(public_note), {"comment": "Via htmx."}, headers=HTMX)
    page = response.content.decode()
    reply = Annotation.objects.get(parent=public_note)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith(f'<div class="thread" id="thread-{public_note.pk}"')
    assert note_cards(page) == [str(public_note.pk), str(reply.pk)]
    assert "Via htmx." in page


def test_the_thread_nests_replies_three_deep_and_shows_deeper_ones_at_the_third_level(
    client, alice, bob, charlie, public_note, article
):
    chain, parent = [], public_note
    for n, author in enumerate([bob, alice, charlie, bob, alice]):
        parent = create_reply(author, parent, comment=f"Reply number {n}.")
        chain.append(parent)
    sibling = create_reply(charlie, public_note, comment="A second answer to the note.")
    page = reading_page(client, article)
    assert reply_depths(page) == [
        ("1", str(chain[0].pk)),
        ("2", str(chain[1].pk)),
        ("3", str(chain[2].pk)),
        ("3", str(chain[3].pk)),
        ("3", str(chain[4].pk)),
        ("1", str(sibling.pk)),
    ]


def test_replying_to_a_note_you_cannot_see_is_a_404_and_stores_nothing(
    client, bob, charlie, private_note, seminar_note
):
    for user, note in [(charlie, seminar_note), (bob, private_note)]:
        client = signed_in(client, user)
        assert client.get(reply_url(note)).status_code == 404
        response = client.post(reply_url(note), {"comment": "Sneaking in."})
        assert response.status_code == 404
        assert note.comment not in response.content.decode()
    assert not Annotation.objects.filter(parent__isnull=False).exists()


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_an_empty_reply_is_a_400_with_a_message_and_stores_nothing(client, bob, public_note, comment):
    client = signed_in(client, bob)
    response = client.post(reply_url(public_note), {"comment": comment})
    assert response.status_code == 400
    assert "A reply needs some text." in response.content.decode()
    htmx = client.post(reply_url(public_note), {"comment": comment}, headers=HTMX)
    assert htmx.status_code == 400
    assert htmx["HX-Retarget"] == "#toast"
    assert "A reply needs some text." in htmx.content.decode()
    assert not Annotation.objects.filter(parent=public_note).exists()


def test_a_reply_with_a_script_is_refused_with_a_message(client, bob, public_note):
    response = signed_in(client, bob).post(reply_url(public_note), {"comment": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()
    assert not Annotation.objects.filter(parent=public_note).exists()


def test_the_reply_form_shows_the_note_and_a_form_and_htmx_gets_the_form_alone(client, bob, public_note):
    client = signed_in(client, bob)
    page = get_page(client, reply_url(public_note))
    assert "Reply to alice" in page
    assert "Mysteries indeed." in page
    assert f'action="{reply_url(public_note)}"' in page
    fragment = get_page(client, reply_url(public_note), **HTMX)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith("<form")
    assert f'hx-post="{reply_url(public_note)}"' in fragment


def test_an_anonymous_reader_is_sent_to_log_in_to_reply_or_discuss(client, public_note):
    for response in (
        client.get(reply_url(public_note)),
        client.post(reply_url(public_note), {"comment": "Anonymous."}),
        client.post(discuss_url(public_note, "upvote")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert not Annotation.objects.filter(parent=public_note).exists()
    assert not Upvote.objects.exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_discussing_with_a_get_is_a_405(client, bob, public_note, action):
    assert signed_in(client, bob).get(discuss_url(public_note, action)).status_code == 405


def test_deleting_a_note_with_replies_keeps_the_thread(client, alice, bob, public_note, article):
    reply = create_reply(bob, public_note, comment="A reply worth keeping.")
    response = signed_in(client, alice).post(reverse("annotation-delete", args=[public_note.pk]))
    assert response.status_code == 302
    client.logout()
    page = reading_page(signed_in(client, bob), article)
    assert note_cards(page) == [str(public_note.pk), str(reply.pk)]
    assert "note-deleted" in card(page, public_note)
    assert "deleted by its author" in card(page, public_note)
    assert "Mysteries indeed." not in page
    assert "A reply worth keeping." in card(page, reply)


def test_a_deleted_note_cannot_be_replied_to(client, alice, bob, public_note):
    create_reply(bob, public_note, comment="Keeps the thread.")
    signed_in(client, alice).post(reverse("annotation-delete", args=[public_note.pk]))
    response = signed_in(client, bob).post(reply_url(public_note), {"comment": "Too late."})
    assert response.status_code == 404
    assert not Annotation.objects.filter(comment="Too late.").exists()


# Notifications ------------------------------------------------------------------------------


def test_a_reply_notifies_the_parents_author_in_the_inbox_and_the_header(client, alice, bob, public_note):
    signed_in(client, bob).post(reply_url(public_note), {"comment": "Here is my answer."})
    assert get_page(client, reverse("inbox")).count('class="inbox-item') == 0  # bob's own reply: nothing for him
    page = get_page(signed_in(client, alice), reverse("inbox"))
    assert "<strong>bob</strong> replied to your note" in page
    assert "Here is my answer." in page
    assert 'aria-label="1 unread">1</span>' in page
    assert client.post(reverse("inbox-mark-read")).status_code == 302
    assert 'aria-label="1 unread"' not in get_page(client, reverse("inbox"))
    assert Notification.objects.get().read is not None


def test_replying_to_your_own_note_notifies_nobody(client, alice, public_note):
    signed_in(client, alice).post(reply_url(public_note), {"comment": "Adding to myself."})
    assert Annotation.objects.filter(parent=public_note).exists()
    assert not Notification.objects.exists()


def test_a_mention_of_a_seminar_member_links_to_them_and_notifies_them(client, bob, erin, charlie, seminar_note):
    signed_in(client, bob).post(reply_url(seminar_note), {"comment": "@erin what do you think? And @charlie?"})
    reply = Annotation.objects.get(parent=seminar_note)
    assert '<a class="mention" href="/people/erin/">@erin</a>' in reply.comment_html
    assert "/people/charlie/" not in reply.comment_html  # charlie cannot read the note
    kinds = set(Notification.objects.values_list("recipient__username", "kind", "actor__username"))
    assert kinds == {("alice", "reply", "bob"), ("erin", "mention", "bob")}
    page = get_page(signed_in(client, erin), reverse("inbox"))
    assert "<strong>bob</strong> mentioned you" in page
    assert get_page(signed_in(client, charlie), reverse("inbox")).count('class="inbox-item') == 0


def test_a_notification_is_emailed_when_the_recipient_has_an_address(
    client, bob, public_note, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, bob).post(reply_url(public_note), {"comment": "Mail me back."})
    assert len(mailoutbox) == 1
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert "bob replied to your note" in mail.subject
    assert "Mail me back." in mail.body


def test_no_email_goes_out_to_a_reader_without_an_address(
    client, alice, bob, public_note, mailoutbox, django_capture_on_commit_callbacks
):
    alice.email = ""
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client, bob).post(reply_url(public_note), {"comment": "Nobody to mail."})
    assert Notification.objects.filter(recipient=alice, kind="reply").exists()
    assert mailoutbox == []


# Questions and answers ------------------------------------------------------------------------


def test_a_note_posted_as_a_question_shows_as_one(client, alice, article, seminar):
    data = {"start_key": "", "comment": "Why now?", "visibility": "seminar:korea-2006", "is_question": "1"}
    response = signed_in(client, alice).post(create_url(article), data)
    assert response.status_code == 302
    note = Annotation.objects.get(comment="Why now?")
    assert (note.is_question, note.seminar) == (True, seminar)
    assert "badge-question" in card(reading_page(client, article), note)


def test_the_asker_marks_a_reply_as_the_answer(client, alice, bob, question, article):
    reply = create_reply(bob, question, comment="The talks stalled.")
    response = discuss(client, alice, reply, "mark-answer")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == reply
    page = reading_page(client, article)
    assert "note-answer" in card(page, reply)
    assert "Answered question" in card(page, question)
    assert discuss(client, alice, reply, "unmark-answer").status_code == 302
    question.refresh_from_db()
    assert question.answer is None


def test_an_instructor_may_mark_the_answer_and_the_asker_is_told(client, alice, bob, ines, question):
    reply = create_reply(bob, question, comment="The talks stalled.")
    response = discuss(client, ines, reply, "mark-answer", **HTMX)
    assert response.status_code == 200
    assert "note-answer" in card(response.content.decode(), reply)
    question.refresh_from_db()
    assert question.answer == reply
    answer = Notification.objects.get(kind=Notification.Kind.ANSWER)
    assert (answer.recipient, answer.actor, answer.annotation) == (alice, bob, reply)
    assert "<strong>bob</strong> answered your question" in get_page(signed_in(client, alice), reverse("inbox"))


def test_the_asker_who_marks_the_answer_herself_is_not_notified_of_it(client, alice, bob, question):
    reply = create_reply(bob, question, comment="The talks stalled.")
    assert discuss(client, alice, reply, "mark-answer").status_code == 302
    question.refresh_from_db()
    assert question.answer == reply  # holds today
    assert not Notification.objects.filter(recipient=alice, kind=Notification.Kind.ANSWER).exists()


def test_another_member_may_not_choose_the_answer(client, bob, erin, question):
    reply = create_reply(bob, question, comment="The talks stalled.")
    for user in (erin, bob):  # a third member, and the one who answered
        response = discuss(client, user, reply, "mark-answer")
        assert response.status_code == 403
    question.refresh_from_db()
    assert question.answer is None
    assert not Notification.objects.filter(kind=Notification.Kind.ANSWER).exists()


def test_a_reply_in_a_thread_that_is_not_a_question_cannot_be_an_answer(client, alice, bob, seminar_note):
    reply = create_reply(bob, seminar_note, comment="Not an answer.")
    response = discuss(client, alice, reply, "mark-answer")
    assert response.status_code == 400
    assert "Only a reply to a question can be its answer." in response.content.decode()
    seminar_note.refresh_from_db()
    assert seminar_note.answer is None


def test_the_question_itself_cannot_be_its_own_answer(client, alice, question):
    response = discuss(client, alice, question, "mark-answer")
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.answer is None


def test_unmarking_a_reply_that_is_not_the_answer_is_a_400(client, alice, bob, question):
    reply = create_reply(bob, question, comment="One.")
    other = create_reply(bob, question, comment="Two.")
    discuss(client, alice, reply, "mark-answer")
    response = discuss(client, alice, other, "unmark-answer")
    assert response.status_code == 400
    assert "not marked as the answer" in response.content.decode()
    question.refresh_from_db()
    assert question.answer == reply


# Upvotes ---------------------------------------------------------------------------------------


def test_an_upvote_is_counted_and_shown(client, bob, public_note):
    response = discuss(client, bob, public_note, "upvote", **HTMX)
    assert response.status_code == 200
    assert Upvote.objects.filter(annotation=public_note, user=bob).count() == 1
    pressed = parse(card(response.content.decode(), public_note)).find_all(aria_pressed="true")
    assert [button.text for button in pressed] == ["▲ 1"]


def test_a_second_upvote_is_a_400_and_still_one_upvote(client, bob, public_note):
    assert discuss(client, bob, public_note, "upvote").status_code == 302
    response = discuss(client, bob, public_note, "upvote")
    assert response.status_code == 400
    assert "already upvoted" in response.content.decode()
    htmx = discuss(client, bob, public_note, "upvote", **HTMX)
    assert (htmx.status_code, htmx["HX-Retarget"]) == (400, "#toast")
    assert Upvote.objects.filter(annotation=public_note).count() == 1


def test_upvoting_your_own_note_is_a_400(client, alice, public_note):
    response = discuss(client, alice, public_note, "upvote")
    assert response.status_code == 400
    assert "cannot upvote your own note" in response.content.decode()
    assert not Upvote.objects.exists()


def test_upvoting_a_note_you_cannot_see_is_a_404(client, bob, charlie, seminar_note, private_note):
    for user, note in [(charlie, seminar_note), (bob, private_note)]:
        response = discuss(client, user, note, "upvote")
        assert response.status_code == 404
        assert note.comment not in response.content.decode()
    assert not Upvote.objects.exists()


def test_an_upvote_can_be_withdrawn_once(client, bob, public_note):
    discuss(client, bob, public_note, "upvote")
    assert discuss(client, bob, public_note, "unvote").status_code == 302
    assert not Upvote.objects.exists()
    response = discuss(client, bob, public_note, "unvote")
    assert response.status_code == 400
    assert "have not upvoted" in response.content.decode()


def test_readers_upvotes_add_up_on_the_card(client, bob, charlie, public_note, article):
    discuss(client, bob, public_note, "upvote")
    discuss(client, charlie, public_note, "upvote")
    client.logout()
    upvotes = parse(card(reading_page(client, article), public_note)).one("span", class_="upvotes")
    assert upvotes.text == "▲ 2 upvotes"  # the triangle is hidden from screen readers, the word is only for them
    assert upvotes.one("span", aria_hidden="true").text == "▲"


# Endorsements ---------------------------------------------------------------------------------


def test_an_instructor_endorses_a_seminar_note_and_it_shows(client, bob, ines, seminar_note, article):
    assert discuss(client, ines, seminar_note, "endorse").status_code == 302
    seminar_note.refresh_from_db()
    assert seminar_note.endorsed_by == ines
    shown = card(reading_page(signed_in(client, bob), article), seminar_note)
    assert "note-endorsed" in shown
    assert ">Endorsed</span>" in shown
    assert discuss(client, ines, seminar_note, "unendorse").status_code == 302
    seminar_note.refresh_from_db()
    assert seminar_note.endorsed_by is None
    assert "note-endorsed" not in card(reading_page(signed_in(client, bob), article), seminar_note)


def test_a_participant_may_not_endorse(client, bob, seminar_note):
    assert discuss(client, bob, seminar_note, "endorse").status_code == 403
    seminar_note.refresh_from_db()
    assert seminar_note.endorsed_by is None


def test_an_instructor_may_not_endorse_a_public_note(client, ines, public_note):
    assert discuss(client, ines, public_note, "endorse").status_code == 403
    public_note.refresh_from_db()
    assert public_note.endorsed_by is None


def test_only_an_instructor_is_offered_the_endorse_button(client, bob, ines, seminar_note, article):
    endorse_form = f'action="{discuss_url(seminar_note, "endorse")}"'
    assert endorse_form in card(reading_page(signed_in(client, ines), article), seminar_note)
    assert endorse_form not in card(reading_page(signed_in(client, bob), article), seminar_note)


# Hiding ---------------------------------------------------------------------------------------


def test_a_hidden_note_is_seen_only_by_its_author_and_the_instructor(
    client, alice, bob, erin, ines, seminar_note, article
):
    assert discuss(client, ines, seminar_note, "hide").status_code == 302
    seminar_note.refresh_from_db()
    assert (seminar_note.hidden, seminar_note.hidden_by) == (True, ines)
    key, pk = seminar_note.start_key, str(seminar_note.pk)
    for user in (alice, ines):
        page = reading_page(signed_in(client, user), article)
        assert "note-hidden" in card(page, seminar_note)
        assert ">Hidden</span>" in card(page, seminar_note)
        assert pk in marked_ids(page)
        assert paragraph_counts(page).get(key) == 1
    for user in (bob, erin):
        page = reading_page(signed_in(client, user), article)
        assert pk not in note_cards(page)
        assert pk not in marked_ids(page)
        assert key not in paragraph_counts(page)
        assert "Why so sudden?" not in page


def test_unhiding_shows_the_note_to_the_members_again(client, bob, ines, seminar_note, article):
    discuss(client, ines, seminar_note, "hide")
    assert discuss(client, ines, seminar_note, "unhide").status_code == 302
    seminar_note.refresh_from_db()
    assert (seminar_note.hidden, seminar_note.hidden_by) == (False, None)
    page = reading_page(signed_in(client, bob), article)
    assert str(seminar_note.pk) in note_cards(page)
    assert "note-hidden" not in card(page, seminar_note)


def test_a_reply_under_a_hidden_reply_is_hidden_with_it_on_the_reading_page(
    client, alice, bob, erin, ines, seminar_note, article
):
    reply = create_reply(bob, seminar_note, comment="Because of the talks.")
    below = create_reply(erin, reply, comment="Which talks, exactly?", tags=["sixparty"])
    assert discuss(client, ines, reply, "hide").status_code == 302
    page = reading_page(signed_in(client, alice), article)
    assert {str(reply.pk), str(below.pk)}.isdisjoint(note_cards(page))
    assert "sixparty" not in page  # the tag filter lists no tag of a note the reader cannot see
    assert client.get(reverse("annotation-detail", args=[below.pk]), headers=HTMX).status_code == 404
    for user in (erin, ines):  # its author still sees it, and so does the moderator
        assert "sixparty" in reading_page(signed_in(client, user), article)
        assert client.get(reverse("annotation-detail", args=[below.pk]), headers=HTMX).status_code == 200


def test_a_participant_may_not_hide_a_note(client, bob, seminar_note):
    assert discuss(client, bob, seminar_note, "hide").status_code == 403
    seminar_note.refresh_from_db()
    assert not seminar_note.hidden


def test_a_hidden_note_cannot_be_discussed_by_those_who_no_longer_see_it(client, bob, ines, seminar_note):
    discuss(client, ines, seminar_note, "hide")
    assert discuss(client, bob, seminar_note, "upvote").status_code == 404
    assert signed_in(client, bob).post(reply_url(seminar_note), {"comment": "Hello?"}).status_code == 404
    assert not Upvote.objects.exists()
    assert not Annotation.objects.filter(parent=seminar_note).exists()


def test_staff_hide_public_notes_but_not_seminar_notes(client, curator, public_note, seminar_note):
    assert discuss(client, curator, public_note, "hide").status_code == 302
    assert discuss(client, curator, seminar_note, "hide").status_code == 404  # not a member: cannot even see it
    public_note.refresh_from_db()
    seminar_note.refresh_from_db()
    assert (public_note.hidden, seminar_note.hidden) == (True, False)


# Every action has a URL of its own ---------------------------------------------------------------

# Who does each action to which note (fixture names), after which action, if it undoes one.
SCENES = [
    ("upvote", "bob", "public_note", None),
    ("unvote", "bob", "public_note", "upvote"),
    ("mark-answer", "alice", "answer", None),
    ("unmark-answer", "alice", "answer", "mark-answer"),
    ("endorse", "ines", "seminar_note", None),
    ("unendorse", "ines", "seminar_note", "endorse"),
    ("hide", "ines", "seminar_note", None),
    ("unhide", "ines", "seminar_note", "hide"),
]
UNDO = {"upvote": "unvote", "mark-answer": "unmark-answer", "endorse": "unendorse", "hide": "unhide"}
OPPOSITE = UNDO | {undo: action for action, undo in UNDO.items()}  # the button a card offers after each action


@pytest.fixture
def answer(bob, question):
    return create_reply(bob, question, comment="The talks stalled.")


def discussion_state(note):
    """What the discussion actions can change about a note."""
    note.refresh_from_db()
    return (note.hidden, note.endorsed_by_id, note.answer_id, note.upvotes.count())


def act_out(request, client, who, which, first):
    user, note = request.getfixturevalue(who), request.getfixturevalue(which)
    if first:
        assert discuss(client, user, note, first).status_code == 302
    return user, note


@pytest.mark.parametrize(("action", "who", "which", "first"), SCENES)
def test_each_action_without_htmx_goes_back_to_the_note_with_a_message(client, request, action, who, which, first):
    user, note = act_out(request, client, who, which, first)
    response = discuss(client, user, note, action)
    assert response.status_code == 302
    assert response["Location"] == f"{note.article.get_absolute_url()}#note-{note.pk}"  # the card itself
    page = get_page(client, response["Location"])
    assert 'class="messages"' in page
    assert f'action="{discuss_url(note, OPPOSITE[action])}"' in card(page, note)


@pytest.mark.parametrize(("action", "who", "which", "first"), SCENES)
def test_each_action_with_htmx_answers_with_the_rerendered_thread(client, request, action, who, which, first):
    user, note = act_out(request, client, who, which, first)
    response = discuss(client, user, note, action, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith(f'<div class="thread" id="thread-{(note.thread or note).pk}"')
    assert f'action="{discuss_url(note, OPPOSITE[action])}"' in card(page, note)


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_sends_an_anonymous_reader_to_log_in_and_changes_nothing(client, seminar_note, action):
    before = discussion_state(seminar_note)
    response = client.post(discuss_url(seminar_note, action))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert discussion_state(seminar_note) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_on_a_note_you_cannot_see_is_a_404_and_changes_nothing(
    client, bob, charlie, seminar_note, private_note, action
):
    for user, note in [(charlie, seminar_note), (bob, private_note)]:
        before = discussion_state(note)
        for headers in ({}, HTMX):
            response = discuss(client, user, note, action, **headers)
            assert response.status_code == 404
            assert note.comment not in response.content.decode()
        assert discussion_state(note) == before


def test_an_unknown_action_is_a_404_and_changes_nothing(client, bob, public_note):
    response = signed_in(client, bob).post(f"/notes/{public_note.pk}/frobnicate/")
    assert response.status_code == 404
    assert not Upvote.objects.exists()
