"""Tags as readers type them: trimmed, case-insensitive, few, short, never markup, and never lookalikes."""

import re

import pytest
from taggit.models import Tag

from annotations.models import Annotation
from annotations.tagging import MAX_TAG_LENGTH, MAX_TAGS, TagError, clean_tags
from tests.annotations.factories import (
    PUBLIC,
    create_url,
    note_on_article,
    reading_page,
)

BAD_TAGS = [
    pytest.param("<script>", "character tags cannot have", id="script"),
    pytest.param("<img src=x onerror=alert(1)>", "character tags cannot have", id="img"),
    pytest.param("a>b", "character tags cannot have", id="greater-than"),
    pytest.param('say "hi"', "character tags cannot have", id="double-quote"),
    pytest.param("it's", "character tags cannot have", id="single-quote"),
    pytest.param("back`tick", "character tags cannot have", id="backtick"),
    pytest.param("nul\x00byte", "character tags cannot have", id="nul"),
    pytest.param("bell\x07", "character tags cannot have", id="bell"),
    pytest.param("escape\x1b[31m", "character tags cannot have", id="ansi-escape"),
    pytest.param("del\x7f", "character tags cannot have", id="delete"),
    pytest.param("x" * (MAX_TAG_LENGTH + 1), "longer than 40 characters", id="over-long"),
    pytest.param(", ".join(f"tag{n}" for n in range(MAX_TAGS + 1)), "at most 10 tags; this one has 11", id="too-many"),
    # Characters that show nothing make a lookalike of another tag; bidi controls turn the text around.
    pytest.param("pea\u200bce", "invisible character (U+200B ZERO WIDTH SPACE)", id="zero-width-space"),
    pytest.param("\ufeffpeace", "invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)", id="byte-order-mark"),
    pytest.param("pea\u2060ce", "invisible character (U+2060 WORD JOINER)", id="word-joiner"),
    pytest.param("pea\u200dce", "invisible character (U+200D ZERO WIDTH JOINER)", id="zero-width-joiner"),
    pytest.param("peace\u202e", "invisible character (U+202E RIGHT-TO-LEFT OVERRIDE)", id="right-to-left-override"),
    pytest.param("\u2066peace\u2069", "invisible character (U+2066 LEFT-TO-RIGHT ISOLATE)", id="isolate"),
    pytest.param("\u3164", "invisible character (U+1160 HANGUL JUNGSEONG FILLER)", id="hangul-filler"),  # NFKC form
]


# clean_tags ------------------------------------------------------------------------------


def test_tags_are_split_on_commas_and_trimmed():
    assert clean_tags("  peace ,history,  ") == ["peace", "history"]


def test_white_space_inside_a_tag_collapses_to_one_space():
    assert clean_tags("peace \t  studies, cold\nwar") == ["peace studies", "cold war"]


def test_tags_differing_only_in_case_are_one_tag_and_the_first_spelling_wins():
    assert clean_tags("Peace, peace , PEACE") == ["Peace"]
    assert clean_tags(["STRASSE", "straße"]) == ["STRASSE"]


def test_a_list_of_tags_is_cleaned_like_a_string():
    assert clean_tags([" 평화 ", "Peace", "peace"]) == ["평화", "Peace"]


def test_empty_input_gives_no_tags():
    assert clean_tags("") == []
    assert clean_tags(" , ,, ") == []
    assert clean_tags([]) == []


def test_a_tag_at_the_length_limit_and_a_note_at_the_count_limit_are_accepted():
    assert clean_tags("x" * MAX_TAG_LENGTH) == ["x" * MAX_TAG_LENGTH]
    assert len(clean_tags([f"tag{n}" for n in range(MAX_TAGS)])) == MAX_TAGS


def test_duplicates_do_not_count_towards_the_limit():
    assert len(clean_tags([f"tag{n}" for n in range(MAX_TAGS)] + ["TAG0", "Tag1"])) == MAX_TAGS


@pytest.mark.parametrize(("raw", "message"), BAD_TAGS)
def test_a_bad_tag_is_refused_with_a_message(raw, message):
    with pytest.raises(TagError, match=re.escape(message)):
        clean_tags(raw)


def test_a_tag_that_is_not_a_string_is_refused():
    with pytest.raises(TagError, match="must be a string"):
        clean_tags(["ok", 3])


@pytest.mark.parametrize("raw", ["csi\x9b31m", "pad\x80"])
def test_a_tag_with_a_c1_control_character_is_refused(raw):
    with pytest.raises(TagError):
        clean_tags(raw)


# Through the web -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "message"), BAD_TAGS)
def test_a_note_with_a_bad_tag_is_refused_on_the_web_and_nothing_is_stored(client, alice, article, raw, message):
    client.force_login(alice)
    response = client.post(create_url(article), {"comment": "fine", "tags": raw})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Annotation.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.django_db
def test_a_bad_tag_from_htmx_is_refused_in_the_toast(client, alice, article):
    client.force_login(alice)
    response = client.post(create_url(article), {"tags": "<script>"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toast"
    assert "character tags cannot have" in response.content.decode()
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_tags_posted_on_the_web_are_trimmed_and_deduplicated(client, alice, article):
    client.force_login(alice)
    response = client.post(create_url(article), {"comment": "Tagged.", "tags": "Peace, peace , PEACE,  cold   war "})
    assert response.status_code == 302
    assert sorted(Annotation.objects.get().tags.names()) == ["Peace", "cold war"]


@pytest.mark.django_db
def test_a_tag_reuses_an_existing_tag_whatever_its_case(alice, bob, article):
    note_on_article(alice, article, tags=["Peace"])
    theirs = note_on_article(bob, article, tags=["peace", "WAR"])
    mine = note_on_article(alice, article, tags=["war"])
    assert Tag.objects.count() == 2
    assert sorted(theirs.tags.names()) == ["Peace", "WAR"]
    assert list(mine.tags.names()) == ["WAR"]


@pytest.mark.django_db
def test_a_tag_with_accented_capitals_reuses_the_lowercase_one(alice, bob, article):
    note_on_article(alice, article, tags=["Ärger"])
    note_on_article(bob, article, tags=["ärger"])
    assert Tag.objects.count() == 1


@pytest.mark.django_db
def test_tag_names_are_escaped_on_the_reading_page(client, alice, article):
    note_on_article(alice, article, tags=["war & peace"], visibility=PUBLIC)
    page = reading_page(client, article)
    assert "#war &amp; peace" in page


@pytest.mark.parametrize("raw", ["???", "!!!", "-", "…"])
def test_a_tag_made_only_of_punctuation_is_refused_because_it_could_have_no_page(raw):
    with pytest.raises(TagError, match="at least one letter or digit"):
        clean_tags(raw)


# Lookalikes: one normal form ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("cafe\u0301", "café"), ("ｐｅａｃｅ", "peace"), ("\ufb01ction", "fiction")],
    ids=["combining-accent", "full-width", "ligature"],
)
def test_a_tag_is_kept_in_its_normal_form_so_lookalike_spellings_are_one_tag(typed, stored):
    assert clean_tags(typed) == [stored]


@pytest.mark.django_db
def test_lookalike_spellings_on_different_notes_become_one_tag(alice, bob, article):
    note_on_article(alice, article, tags=["café"], visibility=PUBLIC)
    note_on_article(bob, article, tags=["cafe\u0301"], visibility=PUBLIC)
    note_on_article(bob, article, tags=["ＣＡＦÉ"], visibility=PUBLIC)
    assert list(Tag.objects.values_list("name", flat=True)) == ["café"]
