"""/search/: who finds what, the query language, ranking, marks, paging, and refusals."""

import io
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from annotations.models import Annotation, TaggedAnnotation
from annotations.writing import delete_note, update_note
from reader.importing import import_text
from search.finding import Search
from search.models import NoteEntry
from tests.annotations.factories import note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db


def search(client, query, status=200, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def found_notes(page):
    results = parse(page).find_all("li", class_="search-note")
    return [item.one("p", class_="search-where").one("a")["href"] for item in results]


def found_passages(page):
    results = parse(page).find_all("li", class_="search-passage")
    return [item.one("p", class_="search-text").one("a")["href"] for item in results]


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def ids(user, query):
    return {note.pk for note in Search(user, query).notes()}


# Who sees what ---------------------------------------------------------------------------


def test_charlie_never_finds_alices_private_note_but_alice_does(client, notes, alice, charlie):
    assert found_notes(search(as_user(client, charlie), "zeppelin")) == []
    assert ids(charlie, "zeppelin") == set()
    client.force_login(alice)
    assert found_notes(search(client, "zeppelin")) == [notes["private"].get_absolute_url()]


def test_an_anonymous_reader_finds_only_public_notes(client, notes):
    assert ids(AnonymousUser(), "diplomacy") == {notes["public"].pk, notes["question"].pk}
    assert len(found_notes(search(client, "diplomacy"))) == 2
    assert found_notes(search(client, "walruses")) == []


def test_seminar_notes_are_found_by_members_only(notes, alice, bob, charlie, curator):
    assert ids(bob, "walruses") == {notes["seminar"].pk}
    assert ids(alice, "walruses") == {notes["seminar"].pk}  # she instructs the seminar
    assert ids(charlie, "walruses") == set()
    assert ids(curator, "walruses") == set()


def test_staff_find_no_private_notes_of_others(notes, curator):
    assert ids(curator, "zeppelin") == set()
    assert ids(curator, "diplomacy") == {notes["public"].pk, notes["question"].pk}


def test_a_drafts_text_is_found_by_staff_only(client, draft, charlie, curator):
    assert found_passages(search(as_user(client, charlie), "zeppelins")) == []
    client.force_login(curator)
    assert found_passages(search(client, "zeppelins")) == [draft.paragraphs.get().get_absolute_url()]


def test_the_counts_shown_are_the_results_the_reader_may_see(client, notes, charlie):
    page = parse(search(as_user(client, charlie), "diplomacy"))
    assert page.one("h2", id="notes-heading").one("span").text == "2"


# The query language --------------------------------------------------------------------


def test_every_word_must_match(notes, alice):
    assert ids(alice, "diplomacy musing") == {notes["public"].pk}
    assert ids(alice, "diplomacy walruses") == set()


def test_words_are_stemmed_as_english(notes, alice):
    assert ids(alice, "musings") == {notes["public"].pk}


def test_a_phrase_needs_its_words_side_by_side_in_order(client, library):
    assert found_passages(search(client, '"cold war"')) == [library.paragraphs.get(position=2).get_absolute_url()]
    assert found_passages(search(client, '"glacier agreement"')) == []
    assert len(found_passages(search(client, "glacier agreement"))) == 1


def test_tag_finds_notes_with_that_tag(notes, alice, charlie):
    assert ids(alice, "tag:peace") == {notes["private"].pk}
    assert ids(alice, "tag:PEACE zeppelin") == {notes["private"].pk}


def test_a_tag_only_on_a_private_note_of_someone_else_is_unknown(client, notes, charlie):
    page = search(as_user(client, charlie), "tag:peace", status=400)
    assert "No note you can see is tagged “peace”" in page


def test_by_finds_notes_of_one_reader(notes, alice):
    assert ids(alice, "by:bob") == {notes["seminar"].pk, notes["question"].pk}
    assert ids(alice, "by:bob diplomacy") == {notes["question"].pk}


def test_in_keeps_to_one_article(client, notes, alice, draft, curator, library):
    assert ids(alice, "in:geneva diplomacy") == {notes["public"].pk, notes["question"].pk}
    client.force_login(curator)
    assert found_passages(search(client, "in:geneva zeppelins")) == []
    assert len(found_passages(search(client, "in:unpublished zeppelins"))) == 1


def test_is_question_and_is_mine(notes, alice, bob):
    assert ids(alice, "is:question") == {notes["question"].pk}
    assert ids(alice, "is:mine") == {notes["private"].pk, notes["public"].pk}
    assert ids(bob, "is:mine diplomacy") == {notes["question"].pk}


def test_operators_that_only_notes_meet_find_no_passages(client, notes, alice):
    client.force_login(alice)
    page = search(client, "by:bob diplomacy")
    assert found_passages(page) == []
    assert len(found_notes(page)) == 1


# Ranking, marks, links, paging ------------------------------------------------------------


def test_a_note_about_the_words_ranks_above_one_that_mentions_them(library, alice):
    once = note_on_quote(alice, library, "valley", comment="A long comment that says glacier once, among other words.")
    about = note_on_quote(alice, library, "glacier border", comment="Glacier, glacier.", tags=["glacier"])
    assert [note.pk for note in Search(alice, "glacier").notes()] == [about.pk, once.pk]


def test_matching_words_are_marked_and_everything_else_escaped(client, library, alice):
    note_on_quote(alice, library, "peace and plenty", comment="if a < b & c > d then <b>valley</b> glacier")
    client.force_login(alice)
    page = search(client, "glacier")
    assert "<b>valley" not in page
    assert "if a &lt; b &amp; c &gt; d then &lt;b&gt;valley&lt;/b&gt; <mark>glacier</mark>" in page


def test_a_query_with_markup_is_shown_escaped(client, library):
    page = search(client, "<img src=x onerror=alert(1)> glacier")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; glacier" in page


def test_each_result_links_to_its_place(client, notes, alice, library):
    client.force_login(alice)
    page = search(client, "harvest")
    assert found_notes(page) == [f"/articles/geneva/#{notes['private'].start_key}"]
    assert found_passages(page) == [f"/articles/geneva/#{library.paragraphs.get(position=1).key}"]


def test_results_come_a_page_at_a_time(client, library, alice):
    for n in range(23):
        note_on_quote(alice, library, "valley", comment=f"Glacier note number {n}.")
    client.force_login(alice)
    first, second = search(client, "glacier"), search(client, "glacier", notes=2)
    assert len(found_notes(first)) == 20
    assert len(found_notes(second)) == 3
    assert parse(first).one("h2", id="notes-heading").one("span").text == "23"
    assert "notes=2" in parse(first).one("nav", class_="pagination").one("a", rel="next")["href"]


def test_an_empty_query_says_how_to_search(client):
    page = search(client, "")
    assert "Type a few words" in page


# Keeping the index in step ------------------------------------------------------------------


def test_an_edited_comment_is_found_by_its_new_words_only(notes, alice):
    update_note(notes["public"], comment="Now about icebergs.")
    assert ids(alice, "icebergs") == {notes["public"].pk}
    assert ids(alice, "musing") == set()


def test_a_deleted_note_is_found_no_more(notes, alice, bob):
    delete_note(notes["public"])
    assert ids(alice, "musing") == set()


def test_a_deleted_note_kept_for_its_replies_is_found_no_more(notes, alice, bob):
    from annotations.writing import create_reply

    create_reply(bob, notes["public"], comment="Indeed.")
    delete_note(notes["public"])
    assert ids(alice, "musing") == set()


def test_retagging_changes_what_tag_words_find(notes, alice):
    update_note(notes["private"], tags=["harvests"])
    assert ids(alice, "harvests") == {notes["private"].pk}
    assert ids(alice, "tag:harvests") == {notes["private"].pk}
    with pytest.raises(Exception, match="tagged “peace”"):
        ids(alice, "tag:peace")


def test_a_hidden_note_drops_out_for_others(notes, alice, curator, charlie):
    notes["public"].hidden = True
    notes["public"].save(update_fields=["hidden"])
    assert ids(charlie, "musing") == set()
    assert ids(alice, "musing") == {notes["public"].pk}


def test_a_changed_text_is_found_by_its_new_words(client, library):
    import_text(
        "Title: Geneva Papers\n\nTreaty talks in Geneva ended with a lasting accord.\n\n"
        "The harvest festival celebrates peace and plenty in the valley.\n",
        slug="geneva",
    )
    assert len(found_passages(search(client, "accord"))) == 1
    assert found_passages(search(client, "glacier")) == []
    assert found_passages(search(client, "submarines")) == []


# Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tag:nosuchtag", "No note you can see is tagged “nosuchtag”"),
        ("by:nobody", "There is no reader called “nobody”"),
        ("in:nowhere", "There is no article “nowhere” you can read"),
        ("is:whatever", "“is:whatever” is not something to search for"),
        ("colour:red", "There is no operator “colour:”"),
        ("tag:", "needs a value"),
        ("tag:!!!", "cannot be a tag"),
        ("tag:" + "x" * 41, "cannot be a tag"),
        (" ".join(f"word{n}" for n in range(21)), "more than 20 words"),
    ],
)
def test_a_query_that_cannot_run_says_why(client, notes, alice, query, message):
    client.force_login(alice)
    page = search(client, query, status=400)
    assert message in page
    assert parse(page).one("input", id="search-q")["value"] == query


def test_a_ten_thousand_character_query_is_refused_at_once(client, library):
    started = time.perf_counter()
    page = search(client, "war " * 2500, status=400)
    assert "10,000 characters long; the limit is 500" in page
    assert time.perf_counter() - started < 5  # a refusal, not a search; generous for a busy machine


def test_is_mine_asks_a_stranger_to_sign_in(client, notes):
    assert "Sign in to search your own notes" in search(client, "is:mine", status=400)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's engine only")
def test_the_sqlite_engine_follows_its_tables_after_every_migration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'")
        assert len(cursor.fetchall()) == 12


def test_the_search_box_is_in_the_header(client, alice):
    client.force_login(alice)
    page = parse(client.get("/").content.decode())
    form = page.one("form", class_="header-search")
    assert form["action"] == reverse("search")
    assert form.one("input")["name"] == "q"


def test_notes_and_tags_loaded_in_bulk_are_found_without_a_rebuild(library, alice):
    model = note_on_quote(alice, library, "valley", comment="A model.")
    place = ("start_paragraph", "start_key", "start_offset", "end_paragraph", "end_key", "end_offset", "quote_exact")
    fields = {name: getattr(model, name) for name in place}
    loaded = Annotation.objects.bulk_create(
        Annotation(
            author=alice, article=library, comment=f"Bulk moraine {n}.", article_revision=library.revision, **fields
        )
        for n in range(3)
    )
    drumlins = Tag.objects.create(name="drumlins")
    TaggedAnnotation.objects.bulk_create([TaggedAnnotation(content_object=loaded[0], tag=drumlins)])
    assert ids(alice, "moraine") == {note.pk for note in loaded}
    assert ids(alice, "drumlins") == {loaded[0].pk}


def test_a_comment_changed_past_save_is_followed(notes, alice):
    note = notes["private"]
    Annotation.objects.filter(pk=note.pk).update(comment="Now about cirques.")  # no save, no signal
    assert ids(alice, "cirques") == {note.pk}


def test_rebuilding_the_index_finds_notes_again(library, alice):
    note = note_on_quote(alice, library, "valley", comment="Bulk glacier.")
    NoteEntry.objects.all().delete()  # as if the index were lost
    assert ids(alice, "glacier") == set()
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)
    assert output.getvalue() == f"Indexed {Annotation.objects.count()} notes for search.\n"
    assert ids(alice, "glacier") == {note.pk}
    assert NoteEntry.objects.count() == Annotation.objects.count()


def test_tags_moved_or_renamed_row_by_row_are_followed(notes, alice):
    orchards = Tag.objects.create(name="orchards")
    TaggedAnnotation.objects.filter(content_object=notes["private"]).update(tag=orchards)  # as a merge does
    assert ids(alice, "orchards") == {notes["private"].pk}
    assert ids(alice, "peace") == set()
    orchards.name = "vineyards"
    orchards.save()  # as a rename does
    assert ids(alice, "vineyards") == {notes["private"].pk}
    assert ids(alice, "orchards") == set()
    TaggedAnnotation.objects.filter(content_object=notes["private"]).delete()
    assert ids(alice, "vineyards") == set()


def test_a_phrase_is_marked_where_its_words_stand_together_only(client, library):
    page = search(client, '"cold war"')
    assert "the <mark>cold</mark> <mark>war</mark> frontier, and the war seems cold forever" in page


def test_the_page_costs_the_same_queries_however_many_notes_match(
    client, library, alice, bob, django_assert_max_num_queries
):
    note_on_quote(alice, library, "valley", comment="Glacier one.", tags=["ice"])
    client.force_login(alice)
    search(client, "glacier")
    with django_assert_max_num_queries(100) as few:
        search(client, "glacier")
    for n in range(15):
        note_on_quote(bob, library, "valley", comment=f"Glacier {n}.", tags=[f"ice{n}"], visibility="public")
    with django_assert_max_num_queries(len(few.captured_queries)):
        search(client, "glacier")
