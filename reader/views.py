from django.db.models import Count
from django.shortcuts import render

from reader.models import Article


def article_list(request):
    articles = Article.objects.readable_by(request.user).annotate(paragraph_count=Count("paragraphs"))
    return render(request, "reader/article_list.html", {"articles": articles})
