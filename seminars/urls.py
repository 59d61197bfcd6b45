from django.urls import path

from seminars import views

urlpatterns = [
    path("seminars/", views.seminar_list, name="seminar-list"),
    path("seminars/new/", views.seminar_create, name="seminar-create"),
    path("seminars/join/<str:code>/", views.seminar_join, name="seminar-join"),
    path("seminars/<slug:slug>/", views.seminar_detail, name="seminar-detail"),
    path("seminars/<slug:slug>/leave/", views.seminar_leave, name="seminar-leave"),
    path("seminars/<slug:slug>/renew-link/", views.seminar_renew_link, name="seminar-renew-link"),
    path(
        "seminars/<slug:slug>/members/<int:user_id>/remove/",
        views.seminar_remove_member,
        name="seminar-remove-member",
    ),
    path("seminars/<slug:slug>/articles/", views.seminar_add_article, name="seminar-add-article"),
    path(
        "seminars/<slug:slug>/articles/<slug:article_slug>/remove/",
        views.seminar_remove_article,
        name="seminar-remove-article",
    ),
    path("seminars/<slug:slug>/delete/", views.seminar_delete, name="seminar-delete"),
    path("seminars/<slug:slug>/participation/", views.seminar_participation, name="seminar-participation"),
]
