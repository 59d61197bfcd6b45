"""The curator's editor on the reading page: change one block, see what becomes of its notes, save.

Staff only. Signed out, every URL here asks to sign in; signed in without staff rights, it is a
404 for GET and POST alike, as for a page that does not exist. Notes appear only as counts:
staff may not read every note (a reader's private ones), and the dry run says what would become
of each without saying what any of them says.

The editor opens in a dialog (htmx) or as a page of its own (no JavaScript). Preview and save
take the same form: the block's Markdown, the change (`operation`), the article's revision the
editor opened at (an edit made on an older text is refused with 409), and for a split the cursor.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from annotations.models import Annotation
from annotations.reanchoring import preview as dry_run
from annotations.views.reading import article_body
from reader.editing import EditError, check_revision, make_edit, paragraphs_after, save
from reader.models import Article

TEMPLATE = "annotations/curator_page.html"
# What the preview calls each change, and the button that then makes it.
CHANGES = {
    "edit": ("The block as it will read", "Save"),
    "insert": ("The new block", "Insert"),
    "delete": ("This block will be deleted.", "Delete this block"),
    "split": ("The two blocks it becomes", "Split here"),
    "merge": ("The block it becomes, merged with the next", "Merge"),
}

STRUCTURE = [("split", "Split at cursor"), ("merge", "Merge with next"), ("delete", "Delete")]


class UnknownBlock(EditError):
    status = 404


def curated_article(request, slug):
    if not request.user.is_staff:
        raise Http404("No such page.")
    return get_object_or_404(Article.objects.readable_by(request.user), slug=slug)


def paragraphs_of(article, key):
    """The article's paragraphs in order, checking that `key` is one of them."""
    paragraphs = list(article.paragraphs.order_by("position"))
    if not any(paragraph.key == key for paragraph in paragraphs):
        raise UnknownBlock(f"This article has no block {key!r} any more; reload the page to see its text as it is now.")
    return paragraphs


def note_count(article, key):
    """How many notes touch the block: a count, never the notes (staff may not read them all)."""
    return Annotation.objects.filter(Q(start_key=key) | Q(end_key=key), article=article, deleted=False).count()


def dry_run_sentence(counts):
    """'3 notes move, 1 needs its author's check, 0 orphaned; 2 stay where they are.'"""
    moved, suggested, orphaned, kept = (counts[name] for name in ("moved", "suggested", "orphaned", "unchanged"))
    if not moved + suggested + orphaned + kept:
        return "No notes are affected."
    check = "needs its author's check" if suggested == 1 else "need their authors' check"
    sentence = f"{moved} note{'s' if moved != 1 else ''} {'moves' if moved == 1 else 'move'}, {suggested} {check}, "
    sentence += f"{orphaned} orphaned"
    if kept:
        sentence += f"; {kept} {'stays where it is' if kept == 1 else 'stay where they are'}"
    return sentence + "."


def editor_context(article, paragraph, mode, data=None):
    data = data or {}
    return {
        "article": article,
        "paragraph": paragraph,
        "key": paragraph.key if paragraph else "",
        "mode": mode,
        "source": data.get("source", paragraph.source if mode == "edit" and paragraph else ""),
        "message": data.get("message", ""),
        "cursor": data.get("cursor", ""),
        "structure": STRUCTURE,
        "revision": data.get("revision", article.revision),
        "note_count": note_count(article, paragraph.key) if paragraph else 0,
    }


def editor(request, article, key, mode, data=None, status=200, **extra):
    """The editor form: in the dialog (htmx), or the page of its own."""
    paragraph = article.paragraphs.filter(key=key).first()
    context = editor_context(article, paragraph, mode, data) | extra
    return render(request, TEMPLATE + ("#editor" if request.htmx else ""), context, status=status)


def problem(request, article, key, error):
    """An edit refused: the message inline in the editor; nothing was written."""
    mode = "insert" if request.POST.get("operation") == "insert" else "edit"
    if request.htmx:
        return render(request, TEMPLATE + "#preview", {"error": str(error)}, status=error.status)
    return editor(request, article, key, mode, request.POST, status=error.status, error=str(error))


def requested_edit(article, key, data):
    """The Edit the form asks for, on the text the editor opened: EditError when it cannot be made."""
    check_revision(article, data.get("revision"))
    paragraphs = paragraphs_of(article, key)
    return make_edit(paragraphs, data.get("operation", "edit"), key, data.get("source", ""), data.get("cursor"))


@login_required
@require_GET
def block_edit(request, slug, key):
    article = curated_article(request, slug)
    get_object_or_404(article.paragraphs, key=key)
    return editor(request, article, key, "edit")


@login_required
@require_GET
def block_insert(request, slug, key):
    """The editor for a new block after this one."""
    article = curated_article(request, slug)
    get_object_or_404(article.paragraphs, key=key)
    return editor(request, article, key, "insert")


@login_required
@require_POST
def block_preview(request, slug, key):
    """The block(s) as the change would render them, and what the change would do to the notes."""
    article = curated_article(request, slug)
    try:
        edit = requested_edit(article, key, request.POST)
    except EditError as error:
        return problem(request, article, key, error)
    operation = request.POST.get("operation", "edit")
    label, confirm = CHANGES[operation]
    counts = dry_run(article, paragraphs_after(article, edit.entries))
    preview = {"edit": edit, "operation": operation, "label": label, "confirm": confirm, "counts": counts}
    preview |= {"dry_run": dry_run_sentence(counts), "default_message": edit.message}
    if request.htmx:
        return render(request, TEMPLATE + "#preview", {"article": article, "key": key} | preview)
    mode = "insert" if operation == "insert" else "edit"
    return editor(request, article, key, mode, request.POST, **preview)


@login_required
@require_POST
def block_save(request, slug, key):
    article = curated_article(request, slug)
    try:
        edit = requested_edit(article, key, request.POST)
        revision = save(
            article, edit, revision=request.POST["revision"], author=request.user, message=request.POST.get("message")
        )
    except EditError as error:
        return problem(request, article, key, error)
    if revision is None:  # the text already read so (a save sent twice, say)
        return problem(request, article, key, EditError("The text already reads so: there is nothing to save."))
    article.refresh_from_db()
    if request.htmx:
        response = article_body(request, article, text_changed=True)
        response["HX-Retarget"] = "#article-body"
        response["HX-Reswap"] = "outerHTML"
        response["HX-Trigger-After-Swap"] = json.dumps({"curatorSaved": {"key": edit.key, "revision": revision.number}})
        return response
    messages.success(request, f"Saved: the article is now at revision {revision.number}.")
    return redirect(f"{article.get_absolute_url()}#{edit.key}")


urlpatterns = [
    path("articles/<slug:slug>/edit/<slug:key>/", block_edit, name="curator-edit"),
    path("articles/<slug:slug>/edit/<slug:key>/insert/", block_insert, name="curator-insert"),
    path("articles/<slug:slug>/edit/<slug:key>/preview/", block_preview, name="curator-preview"),
    path("articles/<slug:slug>/edit/<slug:key>/save/", block_save, name="curator-save"),
]
