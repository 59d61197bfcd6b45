"""Make notes the way the app makes them: passages from ArticleText, rows from writing.create_note.

`many_notes` is the one shortcut: for a thousand notes it builds the same rows in bulk, but
still from real ArticleText passages, so every row is one create_note could have made.
"""

import itertools
import random
import re

from django.urls import reverse
from taggit.models import Tag

from annotations.anchoring import ArticleText
from annotations.models import Annotation, TaggedAnnotation
from annotations.writing import create_note
from reader.importing import import_file
from tests.pages import parse

PRIVATE, PUBLIC = Annotation.Visibility.PRIVATE, Annotation.Visibility.PUBLIC


def text_of(article):
    return ArticleText(article.paragraphs.all())


def prose(article):
    """The article's ordinary paragraphs (not headings or lists), in reading order."""
    return [paragraph for paragraph in text_of(article).paragraphs if paragraph.kind == "paragraph"]


def note_on_quote(author, article, exact, prefix="", suffix="", **fields):
    return create_note(author, article, text_of(article).by_quote(exact, prefix, suffix), **fields)


def note_on_range(author, article, start_key, start_offset, end_key, end_offset, **fields):
    passage = text_of(article).by_position(start_key, start_offset, end_key, end_offset)
    return create_note(author, article, passage, **fields)


def note_on_paragraph(author, article, paragraph, start=0, end=None, **fields):
    """A note on `paragraph` (a Paragraph or its key) from `start` to `end` (default: its end)."""
    text = text_of(article)
    paragraph = text.paragraph(getattr(paragraph, "key", paragraph))
    end = len(paragraph.text) if end is None else end
    return create_note(author, article, text.by_position(paragraph.key, start, paragraph.key, end), **fields)


_whole_article_notes = itertools.count(1)


def note_on_article(author, article, **fields):
    """A note on the whole article; it needs a comment, so one is made up (each different) when none is given."""
    fields.setdefault("comment", f"Thought {next(_whole_article_notes)} on the whole article.")
    return create_note(author, article, None, **fields)


def import_markdown(write_markdown, body, slug="sample", **options):
    """Import `body` (Markdown) as the article `slug`; import it again to update it."""
    return import_file(write_markdown(body, name=f"{slug}.md"), **options).article


def many_notes(article, authors, count, *, seed=0, tags=("peace", "war", "평화")):
    """`count` valid notes from `authors` in bulk: public and private, with tags, some across paragraphs."""
    rng = random.Random(seed)
    text = text_of(article)
    keyed = [paragraph for paragraph in text.paragraphs if paragraph.text.strip()]
    notes = []
    for n in range(count):
        first = rng.randrange(len(keyed))
        last = min(first + (n % 4 == 0), len(keyed) - 1)  # every fourth note runs into the next paragraph
        start, end = keyed[first], keyed[last]
        start_offset = rng.randrange(len(start.text) // 2 or 1)
        if last > first:
            end_offset = rng.randrange(len(end.text) // 2 + 1, len(end.text) + 1)
        else:
            end_offset = rng.randrange(start_offset + 1, len(start.text) + 1)
        try:
            passage = text.by_position(start.key, start_offset, end.key, end_offset)
        except ValueError:
            passage = text.by_position(start.key, 0, start.key, len(start.text))
        notes.append(
            Annotation(
                author=authors[n % len(authors)],
                article=article,
                visibility=PUBLIC if n % 3 else PRIVATE,
                article_revision=article.revision,
                comment=f"Bulk note {n} with *emphasis*",
                comment_html=f"<p>Bulk note {n} with <em>emphasis</em></p>",
                **passage.as_fields(),
            )
        )
    Annotation.objects.bulk_create(notes, batch_size=500)
    tag_rows = [_tag(name) for name in tags]
    TaggedAnnotation.objects.bulk_create(
        [TaggedAnnotation(content_object=note, tag=tag_rows[n % len(tag_rows)]) for n, note in enumerate(notes)],
        batch_size=500,
    )
    return notes


def _tag(name):
    tag = Tag.objects.filter(name__iexact=name).first()
    return tag or Tag.objects.create(name=name)


# Reading pages ---------------------------------------------------------------------------


def get_page(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def reading_page(client, article, query="", **headers):
    return get_page(client, article.get_absolute_url() + query, **headers)


def marks(page):
    """[(set of annotation ids, marked text)] for every <mark> on the page (HTML or an element), in order."""
    return [(set(mark["data-annotations"].split()), mark.text) for mark in parse(page).find_all("mark")]


def marked_ids(page):
    return set().union(*(ids for ids, _ in marks(page)))


def note_cards(page):
    """The ids of the note cards on the page (HTML or an element), in order."""
    return [card.id.removeprefix("note-") for card in parse(page).find_all("article", class_="note")]


def swapped_parts(page):
    """The ids of the parts a reading-page change sends to swap in place (hx-swap-oob), in order."""
    return [element.id for element in parse(page).children if element.get("hx-swap-oob") == "outerHTML"]


def note_card(page, note):
    """The card of `note` on the page; fails the test unless there is exactly one."""
    return parse(page).one("article", class_="note", id=f"note-{note.pk}")


def note_total(page):
    """The "N notes" count at the top of the article body."""
    total = parse(page).one("span", class_="note-total").text
    return int(re.match(r"(\d+) notes?\b", total).group(1))


def paragraph_counts(page):
    """{paragraph key: the note count shown beside it} for paragraphs that show one."""
    counts = {}
    for section in parse(page).find_all("section", class_="block"):
        count = section.find("span", class_="note-count")
        if count:
            counts[section.id] = int(count.text)
    return counts


def tag_counts(page):
    """{tag name: count} as /tags/ shows them, in page order."""
    counts = {}
    for cloud in parse(page).find_all("ul", class_="tag-cloud"):
        for item in cloud.find_all("li"):
            name = item.one("a").text
            assert name.startswith("#"), name
            counts[name.removeprefix("#")] = int(item.one("span", class_="muted").text)
    return counts


def create_url(article):
    return reverse("annotation-create", args=[article.slug])
