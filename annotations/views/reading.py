"""The reading page: an article's text with the marks and notes this reader may see."""

import functools
import re
from urllib.parse import urlsplit

from django.db.models import F
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from annotations.forms import PRIVATE, NoteForm
from annotations.models import Annotation
from annotations.reading import (
    INLINE_NOTES,
    ORPHANED,
    WHOLE_ARTICLE,
    Filters,
    changed_notes,
    notes_at,
    notes_covering,
    notes_for_reader,
    page_notes,
)
from annotations.threads import with_threads, with_votes
from reader.models import Article, Paragraph, contents_of
from reader.page_parts import RenderedOnce
from reader.views import revision_detail
from seminars.models import seminar_menu


def readable_article(request, slug):
    return get_object_or_404(Article.objects.readable_by(request.user), slug=slug)


def in_article(request, article):
    """Whether an htmx request comes from the article's reading page (which re-renders as a whole)."""
    current = request.htmx.current_url if request.htmx else None
    return bool(current) and urlsplit(current).path == article.get_absolute_url()


def reading_context(request, article):
    """The reading page's context: the text, its contents, and the notes this reader may see."""
    paragraphs = list(article.paragraphs.all())
    signed_in = request.user.is_authenticated
    contents = contents_of(paragraphs)
    filters = Filters.from_request(request)
    return {
        "article": article,
        "in_article": True,
        "contents": contents,
        # Called if the page shows the note dialog; reading from a seminar's list shares with it by default.
        "note_fields": functools.partial(blank_note_fields, request.user, filters.seminar) if signed_in else "",
        **page_notes(request.user, article, paragraphs, filters),
    }


_blank_fields = RenderedOnce()  # each a few KB


def blank_note_fields(user, seminar=None):
    """annotations/note_fields.html for a new note's blank form, `seminar` chosen (else private), once per menu.

    A blank form's fields say the same for every reader with the same audiences to choose from
    and the same one chosen; the form and its widgets cost a signed-in page as much as its text, so
    they are built only for a menu not seen before.
    """
    menu = seminar_menu(user)
    chosen = f"seminar:{seminar.slug}" if seminar else PRIVATE

    def render():
        form = NoteForm(user=user, menu=menu, initial={"visibility": chosen})
        return render_to_string("annotations/note_fields.html", {"form": form})

    return _blank_fields((tuple(menu), chosen), render)


def article_detail(request, slug):
    article = readable_article(request, slug)
    if "revision" in request.GET:
        return revision_detail(request, article)  # an old text: read-only, with no notes
    template = "annotations/article_detail.html"
    if request.htmx and request.htmx.target == "article-body":
        template += "#article-body"
    return render(request, template, reading_context(request, article))


def article_body(request, article, status=200, *, text_changed=False):
    """The article body, re-rendered after a change (htmx); after a change of text, its contents too."""
    context = reading_context(request, article) | {"text_changed": text_changed}
    return render(request, "annotations/article_detail.html#article-body", context, status=status)


def note_changes(request, article, note, *, tags_changed=True):
    """After `note` was added, changed or deleted on the reading page (htmx): its paragraphs, the
    whole-article drawer if it sits there, and the count, each swapped in place out of band.

    A reply re-draws its thread's place. A note whose passage is lost (orphaned) shows in a section
    of its own, and a thread whose root has gone has no place left: the body is re-drawn.
    """
    if note.parent_id:
        note = Annotation.objects.visible_to(request.user).filter(pk=note.thread_id).first()
        if note is None:  # gone, or hidden from this reader: nothing may say where it was
            return article_body(request, article)
    if note.start_key and not (note.is_anchored and note.start_paragraph_id and note.end_paragraph_id):
        return article_body(request, article)
    run = []
    if note.start_key:
        ends = Paragraph.objects.filter(pk__in=[note.start_paragraph_id, note.end_paragraph_id])
        positions = list(ends.values_list("position", flat=True))
        run = list(article.paragraphs.filter(position__range=(min(positions), max(positions))))
    filters = Filters.from_request(request)
    changes = changed_notes(request.user, article, filters, run, whole_article=not run, tags_changed=tags_changed)
    if changes["note_count"] in (INLINE_NOTES, INLINE_NOTES + 1):
        # The change may have crossed from cards shown inline to cards on demand (or back): all of it changes.
        return article_body(request, article)
    context = {"article": article, "in_article": True, **changes}
    response = render(request, "annotations/reading_changes.html", context)
    response["HX-Reswap"] = "none"  # the parts swap themselves in (hx-swap-oob); nothing else moves
    return response


def toast(request, message, status=400):
    """An error shown in the reading page's toast (htmx): the page stays as it was."""
    response = render(request, "annotations/error.html", {"message": message}, status=status)
    response["HX-Retarget"] = "#toast"
    response["HX-Reswap"] = "innerHTML"
    return response


@require_GET
def note_list(request, slug, place):
    """The notes at one place of an article (a paragraph key, "article" or "orphaned")."""
    article = readable_article(request, slug)
    paragraph = None
    if place not in (WHOLE_ARTICLE, ORPHANED):
        paragraph = get_object_or_404(article.paragraphs, key=place)
    filters = Filters.from_request(request)
    notes = notes_for_reader(request.user, article, filters)
    if paragraph is not None and "at" in request.GET:  # the notes on the words a reader clicked
        return _notes_on_words(request, article, paragraph, notes, filters)
    notes = notes_at(notes, place, paragraph)
    notes = with_threads(
        with_votes(notes, request.user)
        .for_display()
        .order_by(F("featured_at").asc(nulls_last=True), "start_offset", "created"),
        request.user,
    )
    template = "annotations/note_list.html" + ("#notes" if request.htmx else "")
    context = {"article": article, "paragraph": paragraph, "place": place, "notes": notes, "filters": filters}
    context["in_article"] = in_article(request, article)
    return render(request, template, context)


def _notes_on_words(request, article, paragraph, notes, filters):
    """The notes covering one character of `paragraph` (?at=OFFSET, in code points), as a group of cards."""
    value = request.GET["at"]
    offset = int(value) if re.fullmatch(r"[0-9]{1,9}", value) else -1
    if not 0 <= offset < len(paragraph.text):
        message = (
            f"?at= must be a whole number from 0 to {len(paragraph.text) - 1}, the place of a character here."
            if paragraph.text
            else "This paragraph has no text, so no note covers any of it."
        )
        return toast(request, message) if request.htmx else HttpResponseBadRequest(message)
    notes = with_threads(
        with_votes(notes_covering(notes, paragraph, offset), request.user).for_display().order_by("created"),
        request.user,
    )
    context = {"article": article, "paragraph": paragraph, "notes": notes, "filters": filters, "in_article": True}
    return render(request, "annotations/notes_on_words.html", context)
