"""The home page: the articles, each with the number of notes the viewer may see on it, and for a
signed-in reader their newest notes and their seminars.

It shows annotations, so it lives here rather than in reader (reader ← seminars ← annotations).
"""

import html

from django.db.models import Count
from django.shortcuts import render
from django.utils.html import strip_tags

from annotations.models import Annotation
from reader.models import Article
from reader.paging import page_of

ARTICLES_PER_PAGE = 50
RECENT_NOTES = 5
SEMINARS_SHOWN = 8


def home(request):
    articles = Article.objects.readable_by(request.user).annotate(paragraph_count=Count("paragraphs"))
    page = page_of(request, articles.order_by(*Article._meta.ordering, "pk"), ARTICLES_PER_PAGE)
    visible = Annotation.objects.visible_to(request.user).filter(deleted=False)
    counts = visible.top_level().filter(article__in=[article.pk for article in page]).count_per_article()
    for article in page:
        article.note_count = counts.get(article.pk, 0)
    context = {"articles": page, "page_obj": page}
    if request.user.is_authenticated:
        context.update(_yours(request.user, visible))
    return render(request, "annotations/home.html", context)


def _yours(user, visible):
    """The signed-in reader's newest notes and their seminars, a few of each."""
    newest = visible.filter(author=user).select_related("article", "seminar").order_by("-created", "-pk")
    notes = list(newest[:RECENT_NOTES])
    for note in notes:
        note.excerpt = html.unescape(strip_tags(note.comment_html))  # the words as read, not the Markdown
    memberships = list(user.memberships.select_related("seminar").order_by("seminar__name", "pk")[: SEMINARS_SHOWN + 1])
    return {
        "recent_notes": notes,
        "memberships": memberships[:SEMINARS_SHOWN],
        "more_seminars": len(memberships) > SEMINARS_SHOWN,
    }
