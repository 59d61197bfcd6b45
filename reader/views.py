from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reader.diffing import compare, summary
from reader.forms import ArticleUploadForm
from reader.models import Article, contents_of
from reader.paging import page_of
from reader.revising import RevisionError, revert

REVISIONS_PER_PAGE = 25


@require_http_methods(["GET", "POST"])
def article_upload(request):
    """Staff add or update an article from a Markdown file, through the same importer as the command."""
    if not request.user.is_staff:
        raise Http404("No page here.")
    form = ArticleUploadForm(request.POST or None, request.FILES or None)
    result = form.save() if form.is_valid() else None
    if result is None:
        status = 400 if form.is_bound else 200
        return render(request, "reader/article_upload.html", {"form": form}, status=status)
    messages.success(request, result.summary())
    return redirect(result.article)


# An article's history is for staff: to anyone else these pages are not there (404, not 403).


def staff_article(request, slug):
    if not request.user.is_staff:
        raise Http404("No article here.")
    return get_object_or_404(Article, slug=slug)


@require_GET
def article_history(request, slug):
    """Every revision of the text, newest first, each with what it changed since the one before."""
    article = staff_article(request, slug)
    page = page_of(request, article.revisions.select_related("author").order_by("-number"), REVISIONS_PER_PAGE)
    listed = list(page)
    earlier = article.revisions.filter(number__lt=listed[-1].number).order_by("-number").first() if listed else None
    entries = []
    for revision, previous in zip(listed, [*listed[1:], earlier], strict=True):
        changes = summary(previous.paragraphs, revision.paragraphs) if previous else None
        entries.append({"revision": revision, "previous": previous, "changes": changes})
    context = {"article": article, "entries": entries, "page_obj": page}
    return render(request, "reader/article_history.html", context)


@require_GET
def article_compare(request, slug):
    """Two revisions word by word (?from=N&to=M): what changed from revision N to revision M."""
    article = staff_article(request, slug)
    values = {name: request.GET.get(name, "") for name in ("from", "to")}
    for name, value in values.items():
        if problem := number_problem(value, name):
            return bad_request(request, problem)
    numbers = [revision_number(value) for value in values.values()]
    found = {revision.number: revision for revision in article.revisions.filter(number__in=numbers)}
    old, new = (found.get(number) for number in numbers)
    if old is None or new is None:
        raise Http404("This article has no such revision.")
    rendered = {}
    comparison = compare(old.rendered(rendered), new.rendered(rendered))
    context = {"article": article, "old": old, "new": new, "comparison": comparison}
    return render(request, "reader/article_compare.html", context)


@require_POST
def article_revert(request, slug, number):
    """Bring the text back to revision `number`, as a new revision; its notes are placed again."""
    article = staff_article(request, slug)
    try:
        revision = revert(article, number, author=request.user)
    except RevisionError as error:
        raise Http404(str(error)) from None
    if revision is None:
        messages.info(request, f"The text already reads as revision {number}: nothing changed.")
    else:
        messages.success(request, f"Reverted to revision {number}: the text is now revision {revision.number}.")
    return redirect("article-history", slug=article.slug)


def revision_detail(request, article):
    """An old text of `article` (?revision=N), read-only and without notes: notes belong to the current text.

    Old texts are for staff, as the history is: an old revision may hold what was never
    published (an article imported as a draft, edited, then published), so to anyone else
    it is not there (404). The current revision's number leads anyone to the reading page.
    """
    value = request.GET["revision"]
    if problem := number_problem(value, "revision"):
        return bad_request(request, problem)
    number = revision_number(value)
    if number == article.revision:
        return redirect(article)
    if not request.user.is_staff:
        raise Http404("Old revisions of the text are for staff.")
    revision = article.revisions.filter(number=number).first() if number else None
    if revision is None:
        raise Http404(f"This article has no revision {value}.")
    paragraphs = revision.rendered()
    contents = contents_of(paragraphs)
    context = {"article": article, "old_revision": revision, "paragraphs": paragraphs, "contents": contents}
    return render(request, "reader/revision_detail.html", context)


def number_problem(value, name):
    """What is wrong with a revision number given as `?name=value`, or None when it is a number."""
    if value.isascii() and value.isdigit():
        return None
    if not value:
        return f"Say which revision: ?{name}= needs a revision number, such as {name}=2."
    shown = Truncator(value).chars(40)
    return f"“{shown}” is not a revision number: ?{name}= takes a whole number, such as {name}=2."


def revision_number(value):
    """A digit string as a revision number; None for one too long to be any revision's."""
    return int(value) if len(value) <= 9 else None


def bad_request(request, message):
    return render(request, "400.html", {"message": message}, status=400)
