from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from annotations.models import Seminar
from annotations.reading import Filters, page_notes, tag_suggestions
from reader.models import Article


def article_list(request):
    articles = Article.objects.readable_by(request.user).annotate(paragraph_count=Count("paragraphs"))
    return render(request, "reader/article_list.html", {"articles": articles})


def reading_context(request, article):
    """The reading page's context: the text, its contents, and the notes this reader may see."""
    paragraphs = list(article.paragraphs.all())
    contents = [paragraph for paragraph in paragraphs if paragraph.kind == paragraph.Kind.HEADING]
    top_level = min((paragraph.level for paragraph in contents), default=1)
    for heading in contents:
        heading.depth = heading.level - top_level
    filters = Filters.from_request(request)
    return {
        "article": article,
        "in_article": True,
        "contents": contents,
        "tag_suggestions": tag_suggestions(request.user),
        "my_seminars": list(Seminar.objects.of(request.user)),
        "data": {"visibility": f"seminar:{filters.seminar.slug}" if filters.seminar else "private"},
        **page_notes(request.user, article, paragraphs, filters),
    }


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.readable_by(request.user), slug=slug)
    template = "reader/article_detail.html"
    if request.htmx and request.htmx.target == "article-body":
        template += "#article-body"
    return render(request, template, reading_context(request, article))
