from django.urls import path

from reader import views

urlpatterns = [
    path("articles/new/", views.article_upload, name="article-upload"),
    path("articles/<slug:slug>/history/", views.article_history, name="article-history"),
    path("articles/<slug:slug>/history/compare/", views.article_compare, name="article-compare"),
    path("articles/<slug:slug>/history/<int:number>/revert/", views.article_revert, name="article-revert"),
]
