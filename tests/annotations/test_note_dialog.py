"""The reading page's note dialog and scope menu: each is rendered once per menu and reused.

Reused HTML must say exactly what a fresh rendering would, for each reader: their own seminars in
the menu and no one else's, and the audience the page was opened with already chosen.
"""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from annotations import forms
from annotations.forms import FilterForm, NoteForm
from annotations.views import reading
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_remembered():
    reading._blank_fields.clear()
    forms._scope_menus.clear()
    yield
    reading._blank_fields.clear()
    forms._scope_menus.clear()


def dialog(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content.decode()).one("dialog", id="note-dialog")


def menu(dialog):
    select = dialog.one("select", id="new-visibility")
    return [(option["value"], "selected" in option.attrs) for option in select.find_all("option")]


def test_each_reader_sees_their_own_seminars_whoever_opened_the_dialog_first(
    article, alice, bob, charlie, make_seminar
):
    make_seminar("Korea 2006", instructors=[alice], participants=[bob])
    make_seminar("Balkans", instructors=[charlie])
    url = article.get_absolute_url()
    for _ in range(2):  # the first round renders, the second reuses
        assert menu(dialog(alice, url)) == [("private", True), ("seminar:korea-2006", False), ("public", False)]
        assert menu(dialog(charlie, url)) == [("private", True), ("seminar:balkans", False), ("public", False)]
        assert menu(dialog(bob, url)) == [("private", True), ("seminar:korea-2006", False), ("public", False)]
    assert len(reading._blank_fields) == 2  # alice and bob have the same menu


def test_read_from_a_seminars_list_the_seminar_is_chosen_and_remembered_apart(article, alice, make_seminar):
    korea = make_seminar("Korea 2006", instructors=[alice], articles=[article])
    url = article.get_absolute_url()
    assert menu(dialog(alice, url))[0] == ("private", True)
    chosen = menu(dialog(alice, f"{url}?seminar={korea.slug}"))
    assert chosen == [("private", False), ("seminar:korea-2006", True), ("public", False)]
    assert menu(dialog(alice, url))[0] == ("private", True)


def test_the_reused_fields_are_what_a_fresh_rendering_gives(article, alice, make_seminar):
    korea = make_seminar("Korea 2006", instructors=[alice])
    for chosen, visibility in ((None, "private"), (korea, "seminar:korea-2006")):
        form = NoteForm(user=alice, initial={"visibility": visibility})
        fresh = render_to_string("annotations/note_fields.html", {"form": form})
        assert reading.blank_note_fields(alice, chosen) == fresh
        assert reading.blank_note_fields(alice, chosen) == fresh
    assert len(reading._blank_fields) == 2
    fresh = render_to_string(
        "annotations/note_fields.html", {"form": NoteForm(user=alice, initial={"visibility": "private"})}
    )
    assert fresh in dialog(alice, article.get_absolute_url()).html


def test_a_seminar_joined_since_shows_at_once(article, bob, make_seminar):
    url = article.get_absolute_url()
    assert [value for value, _ in menu(dialog(bob, url))] == ["private", "public"]
    make_seminar("Korea 2006", participants=[bob])
    assert [value for value, _ in menu(dialog(bob, url))] == ["private", "seminar:korea-2006", "public"]


def test_the_scope_menu_is_reused_only_for_the_same_choices_and_the_same_choice(article, alice, make_seminar):
    korea = make_seminar("Korea <2006>", instructors=[alice], articles=[article])
    seen = set()
    for seminar in (None, korea):
        for scope in ("all", "mine", "public", *(("seminar",) if seminar else ())):
            fresh = str(FilterForm(seminar=seminar, initial={"scope": scope})["scope"])
            for _ in range(2):
                assert FilterForm(seminar=seminar, initial={"scope": scope}).scope_menu() == fresh
            seen.add(fresh)
    assert len(seen) == len(forms._scope_menus) == 7
    assert "Korea &lt;2006&gt;" in FilterForm(seminar=korea, initial={"scope": "all"}).scope_menu()
    sent = FilterForm({"scope": "nothing"}, seminar=None)
    assert sent.scope_menu() == str(sent["scope"])  # a bound form's menu is its own
    page = Client()
    page.force_login(alice)
    html = page.get(f"{article.get_absolute_url()}?scope=mine").content.decode()
    assert str(FilterForm(seminar=None, initial={"scope": "mine"})["scope"]) in html
