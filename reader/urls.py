from django.urls import path

from reader import views

urlpatterns = [
    path("", views.article_list, name="article-list"),
]
