from django.urls import path

from annotations import seminar_views, views

urlpatterns = [
    path("articles/<slug:slug>/notes/", views.note_create, name="annotation-create"),
    path("articles/<slug:slug>/notes/new/", views.note_new, name="annotation-new"),
    path("articles/<slug:slug>/notes/at/<str:place>/", views.note_list, name="annotation-list"),
    path("notes/preview/", views.note_preview, name="annotation-preview"),
    path("notes/<uuid:pk>/", views.note_detail, name="annotation-detail"),
    path("notes/<uuid:pk>/edit/", views.note_edit, name="annotation-edit"),
    path("notes/<uuid:pk>/delete/", views.note_delete, name="annotation-delete"),
    path("notes/<uuid:pk>/reply/", views.note_reply, name="annotation-reply"),
    path("notes/<uuid:pk>/discuss/", views.note_discuss, name="annotation-discuss"),
    path("people/<str:username>/", views.person_detail, name="person-detail"),
    path("inbox/", views.inbox, name="inbox"),
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("seminars/", seminar_views.seminar_list, name="seminar-list"),
    path("seminars/new/", seminar_views.seminar_create, name="seminar-create"),
    path("seminars/join/<str:code>/", seminar_views.seminar_join, name="seminar-join"),
    path("seminars/<slug:slug>/", seminar_views.seminar_detail, name="seminar-detail"),
    path("seminars/<slug:slug>/leave/", seminar_views.seminar_leave, name="seminar-leave"),
    path("seminars/<slug:slug>/renew-link/", seminar_views.seminar_renew_link, name="seminar-renew-link"),
    path(
        "seminars/<slug:slug>/members/<int:user_id>/remove/",
        seminar_views.seminar_remove_member,
        name="seminar-remove-member",
    ),
    path("seminars/<slug:slug>/articles/", seminar_views.seminar_add_article, name="seminar-add-article"),
    path(
        "seminars/<slug:slug>/articles/<slug:article_slug>/remove/",
        seminar_views.seminar_remove_article,
        name="seminar-remove-article",
    ),
    path("seminars/<slug:slug>/participation/", seminar_views.seminar_participation, name="seminar-participation"),
]
