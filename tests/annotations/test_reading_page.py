"""The reading page shows notes with no JavaScript: marks in the text, cards beside it, filters, plain forms."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.reading import INLINE_NOTES
from reader.rendering import text_content
from tests.annotations.factories import (
    PUBLIC,
    get_page,
    import_markdown,
    many_notes,
    marked_ids,
    marks,
    note_card,
    note_cards,
    note_on_article,
    note_on_paragraph,
    note_on_quote,
    note_on_range,
    note_total,
    paragraph_counts,
    prose,
    reading_page,
)
from tests.pages import block_inner_html, parse

pytestmark = pytest.mark.django_db

SAMPLE = """Title: Sample

The **first** paragraph, with *emphasis* & an [link](https://example.org/) 🕊️ here.

A second paragraph about peace and war.

## A heading

- one item
- two items

A last paragraph about peace.
"""


@pytest.fixture
def sample(write_markdown):
    return import_markdown(write_markdown, SAMPLE)


def section(page, key):
    """The <section> of paragraph `key`."""
    return parse(page).one("section", class_="block", id=key)


# Marks -----------------------------------------------------------------------------------


def test_a_note_marks_exactly_its_quote_on_the_server(client, alice, article):
    note = note_on_quote(alice, article, "North Korea shot the missiles", visibility=PUBLIC)
    inner = block_inner_html(reading_page(client, article))[note.start_key]
    assert f'<mark data-annotations="{note.pk}">North Korea shot the missiles</mark>' in inner


def test_a_mark_across_an_element_is_split_and_covers_exactly_the_quote(client, alice, article):
    note = note_on_quote(alice, article, "July 5th, North", visibility=PUBLIC)
    inner = block_inner_html(reading_page(client, article))[note.start_key]
    assert "".join(text for ids, text in marks(inner) if str(note.pk) in ids) == "July 5th, North"
    assert f'<sup><mark data-annotations="{note.pk}">th</mark></sup>' in inner


def test_a_note_across_paragraphs_marks_both_and_sits_with_the_first(client, alice, sample):
    first, second = prose(sample)[:2]
    note = note_on_range(alice, sample, first.key, first.text.index("here"), second.key, 8, visibility=PUBLIC)
    page = reading_page(client, sample)
    blocks = block_inner_html(page)
    assert [text for _, text in marks(blocks[first.key])] == ["here."]
    assert [text for _, text in marks(blocks[second.key])] == ["A second"]
    assert str(note.pk) in note_cards(section(page, first.key))
    assert paragraph_counts(page) == {first.key: 1}


def test_the_block_text_reads_exactly_as_the_paragraph_text_under_many_overlapping_marks(client, alice, bob, sample):
    many_notes(sample, [alice, bob], 60)
    note_on_quote(alice, sample, "here.\n\nA second paragraph", visibility=PUBLIC)
    client.force_login(alice)
    page = reading_page(client, sample)
    blocks = block_inner_html(page)
    assert marks(page)
    for paragraph in sample.paragraphs.all():
        assert text_content(blocks[paragraph.key]) == paragraph.text
        assert "<article" not in blocks[paragraph.key]
        assert "note-here" not in blocks[paragraph.key]


def test_the_viewers_own_notes_and_marks_look_different(client, alice, bob, article):
    mine = note_on_quote(alice, article, "North Korea shot the missiles", visibility=PUBLIC)
    theirs = note_on_quote(bob, article, "kind of mysteries", visibility=PUBLIC)
    client.force_login(alice)
    page = reading_page(client, article)
    assert note_card(page, mine)["class"] == "note note-mine"
    assert "note-mine" not in note_card(page, theirs).html
    assert f'<mark data-annotations="{mine.pk}" class="mine">' in page
    assert f'<mark data-annotations="{theirs.pk}">' in page
    assert "You" in note_card(page, mine).text
    assert "bob" in note_card(page, theirs).text


def test_only_the_authors_card_offers_edit_and_delete(client, alice, bob, article):
    note = note_on_quote(alice, article, "North Korea shot the missiles", visibility=PUBLIC)
    client.force_login(bob)
    assert reverse("annotation-edit", args=[note.pk]) not in reading_page(client, article)
    client.force_login(alice)
    page = reading_page(client, article)
    assert note_card(page, note).find("a", href=reverse("annotation-edit", args=[note.pk]))
    assert note_card(page, note).find("a", href=reverse("annotation-delete", args=[note.pk]))


# Where cards sit -------------------------------------------------------------------------


def test_notes_sit_in_a_group_beside_their_paragraph(client, alice, article):
    note = note_on_quote(alice, article, "kind of mysteries", comment="A *good* point", visibility=PUBLIC)
    aside = section(reading_page(client, article), note.start_key).one("div", class_="notes", role="group")
    assert str(note.pk) in note_cards(aside)
    assert "A <em>good</em> point" in aside.html


def test_whole_article_notes_render_at_the_top(client, alice, article):
    note = note_on_article(alice, article, comment="About all of it", visibility=PUBLIC)
    page = reading_page(client, article)
    top = parse(page).one("section", class_="article-notes")
    assert top.start < note_card(page, note).start < parse(page).find("section", class_="block").start
    assert "About all of it" in note_card(page, note).text
    assert paragraph_counts(page) == {}
    assert note_total(page) == 1


def test_orphaned_notes_render_in_their_own_section_with_their_quote(client, alice, write_markdown, sample):
    note = note_on_quote(alice, sample, "about peace and war", comment="Still here", visibility=PUBLIC)
    import_markdown(write_markdown, SAMPLE.replace("about peace and war", "about war and peace"))
    page = reading_page(client, sample)
    orphans = parse(page).one("section", class_="orphaned-notes")
    assert str(note.pk) in note_cards(orphans)
    assert "about peace and war" in note_card(page, note).text
    assert str(note.pk) not in marked_ids(page)


def test_the_total_counts_every_note_shown(client, alice, article):
    note_on_article(alice, article, visibility=PUBLIC)
    note_on_quote(alice, article, "kind of mysteries", visibility=PUBLIC)
    note_on_quote(alice, article, "North Korea shot the missiles", visibility=PUBLIC)
    note_on_quote(alice, article, "the missiles", visibility=PUBLIC)
    page = reading_page(client, article)
    assert note_total(page) == 4
    assert "4 notes" in page
    assert sorted(paragraph_counts(page).values()) == [1, 2]


def test_past_the_inline_limit_paragraphs_offer_their_notes_on_demand(client, alice, bob, sample):
    notes = many_notes(sample, [alice, bob], INLINE_NOTES * 3 // 2 + 3)  # two in three are public
    assert sum(note.visibility == PUBLIC for note in notes) > INLINE_NOTES
    page = reading_page(client, sample)
    assert note_cards(page) == []
    assert note_total(page) == sum(note.visibility == PUBLIC for note in notes)
    first = prose(sample)[0]
    link = section(page, first.key).one("a", class_="notes-more")["href"]
    assert link == reverse("annotation-list", args=[sample.slug, first.key])
    listed = note_cards(get_page(client, link))
    expected = [note for note in notes if note.visibility == PUBLIC and note.start_paragraph_id == first.pk]
    assert sorted(listed) == sorted(str(note.pk) for note in expected)
    assert len(listed) == paragraph_counts(page)[first.key]


def test_past_the_inline_limit_every_place_offers_its_own_notes_with_the_filters_carried_on(client, alice, bob, sample):
    notes = many_notes(sample, [alice, bob], INLINE_NOTES * 4)  # past the limit under each filter below
    note_on_article(alice, sample, visibility=PUBLIC)
    mine = next(note for note in notes if note.author == alice and note.visibility == PUBLIC)
    Annotation.objects.filter(pk=mine.pk).update(anchor_status=Annotation.AnchorStatus.ORPHANED)
    client.force_login(alice)
    for query in ("", "?scope=public", "?scope=mine"):
        page = parse(reading_page(client, sample, query))
        sections = {"article": page.find(id="article-notes"), "orphaned": page.find(id="orphaned-notes")}
        sections |= {paragraph.key: section(page, paragraph.key) for paragraph in sample.paragraphs.all()}
        offered = set()
        for place, shown in sections.items():
            details = shown.find("details", class_="notes-details") if shown else None
            if details is None:
                continue
            address = reverse("annotation-list", args=[sample.slug, place]) + query
            assert details["hx-get"] == address
            assert details.one("a", class_="notes-more")["href"] == address
            offered.add(place)
        assert len(offered) > 3
        if not query:
            assert {"article", "orphaned"} <= offered


# Filters ---------------------------------------------------------------------------------


@pytest.fixture
def tagged(alice, bob, article):
    return {
        "peace": note_on_quote(alice, article, "North Korea shot the missiles", tags=["Peace"], visibility=PUBLIC),
        "war": note_on_quote(alice, article, "kind of mysteries", tags=["war"], visibility=PUBLIC),
        "bobs": note_on_quote(bob, article, "missile experiment", tags=["peace"], visibility=PUBLIC),
    }


@pytest.mark.parametrize("spelling", ["Peace", "peace", "PEACE", " peace "])
def test_the_tag_filter_is_case_insensitive_and_narrows_cards_marks_and_counts(client, tagged, article, spelling):
    page = reading_page(client, article, f"?tag={spelling}")
    expected = {str(tagged["peace"].pk), str(tagged["bobs"].pk)}
    assert set(note_cards(page)) == expected
    assert marked_ids(page) == expected
    assert note_total(page) == 2
    assert "2 notes match" in page


def test_the_tag_menu_lists_the_tags_of_the_notes_on_the_article(client, tagged, article):
    page = reading_page(client, article)
    menu = parse(page).one("select", name="tag")
    assert [option["value"] for option in menu.find_all("option")] == ["", "Peace", "war"]


def test_only_mine_shows_the_signed_in_readers_own_notes(client, alice, bob, tagged, article):
    client.force_login(alice)
    page = reading_page(client, article, "?mine=1")
    assert set(note_cards(page)) == {str(tagged["peace"].pk), str(tagged["war"].pk)}
    client.force_login(bob)
    assert note_cards(reading_page(client, article, "?mine=1")) == [str(tagged["bobs"].pk)]


def test_only_mine_shows_an_anonymous_reader_nothing_at_all(client, tagged, article):
    page = reading_page(client, article, "?mine=1")
    assert note_cards(page) == []
    assert marked_ids(page) == set()
    assert note_total(page) == 0


def test_filters_combine(client, alice, tagged, article):
    client.force_login(alice)
    assert note_cards(reading_page(client, article, "?mine=1&tag=PEACE")) == [str(tagged["peace"].pk)]


def test_the_htmx_filter_request_gets_the_article_body_only(client, tagged, article):
    fragment = reading_page(client, article, "?tag=war", **{"HX-Request": "true", "HX-Target": "article-body"})
    assert fragment.lstrip().startswith('<div class="article-body" id="article-body">')
    assert "<html" not in fragment
    assert note_cards(fragment) == [str(tagged["war"].pk)]


# Without JavaScript ----------------------------------------------------------------------


def note_here_links(page):
    """{paragraph key: the "Note on this paragraph" link in its section}."""
    links = {}
    for block in parse(page).find_all("section", class_="block"):
        for link in block.find_all("a", class_="note-here"):
            links[block.id] = link["href"]
    return links


def test_every_paragraph_with_text_offers_a_note_link_to_signed_in_readers(client, alice, article):
    client.force_login(alice)
    links = note_here_links(reading_page(client, article))
    paragraphs = [paragraph for paragraph in article.paragraphs.all() if paragraph.text]
    assert links == {p.key: f"/articles/{article.slug}/notes/new/?paragraph={p.key}" for p in paragraphs}


def test_anonymous_readers_get_no_note_links_but_an_invitation_to_sign_in(client, article):
    page = reading_page(client, article)
    assert note_here_links(page) == {}
    assert f'href="/accounts/login/?next=/articles/{article.slug}/"' in page


def plain_form(page):
    """The action and the fields a browser would submit from the page's note form."""
    form = parse(page).one("form", method="post", class_="stack-form")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    fields["visibility"] = form.one("select", name="visibility").one("option", selected=True)["value"]
    fields["comment"] = ""
    return form["action"], fields


def test_the_paragraph_link_leads_to_a_plain_form_that_makes_a_whole_paragraph_note(client, alice, sample):
    paragraph = prose(sample)[0]
    client.force_login(alice)
    link = note_here_links(reading_page(client, sample))[paragraph.key]
    form_page = get_page(client, link)
    assert "Note on this paragraph" in form_page
    action, fields = plain_form(form_page)
    assert action == reverse("annotation-create", args=[sample.slug])
    assert fields["start_key"] == fields["end_key"] == paragraph.key
    assert (fields["start_offset"], fields["end_offset"]) == ("0", str(len(paragraph.text)))
    response = client.post(action, fields | {"comment": "On all of it", "tags": "whole"})
    note = Annotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{sample.slug}/#{paragraph.key}"
    assert (note.start_key, note.start_offset, note.end_key, note.end_offset) == (
        paragraph.key,
        0,
        paragraph.key,
        len(paragraph.text),
    )
    assert note.quote_exact == paragraph.text
    assert note.visibility == "private"
    assert list(note.tags.names()) == ["whole"]


def test_the_whole_article_form_makes_a_note_with_no_range(client, alice, sample):
    client.force_login(alice)
    form_page = get_page(client, reverse("annotation-new", args=[sample.slug]))
    assert "Note on the whole article" in form_page
    action, fields = plain_form(form_page)
    assert fields["start_key"] == fields["end_key"] == ""
    response = client.post(action, fields | {"comment": "Overall", "visibility": PUBLIC})
    note = Annotation.objects.get()
    assert response.status_code == 302
    assert note.is_on_whole_article
    assert (note.start_offset, note.end_offset, note.quote_exact) == (None, None, "")
    assert "Overall" in note_card(reading_page(client, sample), note).text


def test_the_plain_form_for_an_unknown_paragraph_is_a_404(client, alice, sample):
    client.force_login(alice)
    assert client.get(reverse("annotation-new", args=[sample.slug]) + "?paragraph=p-nope").status_code == 404


def test_the_plain_form_asks_anonymous_readers_to_sign_in(client, sample):
    response = client.get(reverse("annotation-new", args=[sample.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_whole_paragraph_note_on_a_list_marks_every_item(client, alice, sample):
    items = next(p for p in sample.paragraphs.all() if p.kind == "list")
    note_on_paragraph(alice, sample, items, visibility=PUBLIC)
    inner = block_inner_html(reading_page(client, sample))[items.key]
    assert text_content(inner) == items.text
    # Each item's words are marked inside the item; the line breaks between items, which stand
    # directly in the list, are not (a mark there would be a list child other than an item).
    assert [text for _, text in marks(inner)] == [line for line in items.text.split("\n") if line]
