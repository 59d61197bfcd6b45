from django.urls import path

from annotations.views import browsing, discussion, notes, reading

urlpatterns = [
    path("articles/<slug:slug>/", reading.article_detail, name="article-detail"),
    path("articles/<slug:slug>/notes/", notes.note_create, name="annotation-create"),
    path("articles/<slug:slug>/notes/new/", notes.note_new, name="annotation-new"),
    path("articles/<slug:slug>/notes/at/<str:place>/", reading.note_list, name="annotation-list"),
    path("notes/preview/", notes.note_preview, name="annotation-preview"),
    path("notes/<uuid:pk>/", notes.note_detail, name="annotation-detail"),
    path("notes/<uuid:pk>/edit/", notes.note_edit, name="annotation-edit"),
    path("notes/<uuid:pk>/delete/", notes.note_delete, name="annotation-delete"),
    path("notes/<uuid:pk>/reply/", discussion.note_reply, name="annotation-reply"),
    path("notes/<uuid:pk>/discuss/", discussion.note_discuss, name="annotation-discuss"),
    path("people/<str:username>/", browsing.person_detail, name="person-detail"),
    path("inbox/", browsing.inbox, name="inbox"),
    path("tags/", browsing.tag_list, name="tag-list"),
    path("tags/<str:slug>/", browsing.tag_detail, name="tag-detail"),
]
