from django.db.models import Count
from django.shortcuts import render

from reader.models import Article
from reader.paging import page_of

ARTICLES_PER_PAGE = 50


def article_list(request):
    articles = Article.objects.readable_by(request.user).annotate(paragraph_count=Count("paragraphs"))
    page = page_of(request, articles.order_by(*Article._meta.ordering, "pk"), ARTICLES_PER_PAGE)
    return render(request, "reader/article_list.html", {"articles": page, "page_obj": page})
