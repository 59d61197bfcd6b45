from django.urls import path

from annotations.views import attention, browsing, curating, discussion, home, notes, reading

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
    path("notes/<uuid:pk>/upvote/", discussion.note_upvote, name="annotation-upvote"),
    path("notes/<uuid:pk>/unvote/", discussion.note_unvote, name="annotation-unvote"),
    path("notes/<uuid:pk>/mark-answer/", discussion.note_mark_answer, name="annotation-mark-answer"),
    path("notes/<uuid:pk>/unmark-answer/", discussion.note_unmark_answer, name="annotation-unmark-answer"),
    path("notes/<uuid:pk>/endorse/", discussion.note_endorse, name="annotation-endorse"),
    path("notes/<uuid:pk>/unendorse/", discussion.note_unendorse, name="annotation-unendorse"),
    path("notes/<uuid:pk>/hide/", discussion.note_hide, name="annotation-hide"),
    path("notes/<uuid:pk>/unhide/", discussion.note_unhide, name="annotation-unhide"),
    path("people/<str:username>/", browsing.person_detail, name="person-detail"),
    path("inbox/", browsing.inbox, name="inbox"),
    path("inbox/read/", browsing.inbox_mark_read, name="inbox-mark-read"),
    path("tags/", browsing.tag_list, name="tag-list"),
    path("tags/<str:slug>/", browsing.tag_detail, name="tag-detail"),
    path("", home.home, name="article-list"),  # the home page: the articles, my notes, my seminars
    path("inbox/<int:pk>/", browsing.inbox_open, name="inbox-open"),
]

# The curator's editor and the notes needing their authors' attention keep their routes beside their views.
urlpatterns += curating.urlpatterns + attention.urlpatterns

# @mention suggestions keep their route beside their view.
from annotations.views import people  # noqa: E402

urlpatterns += people.urlpatterns
