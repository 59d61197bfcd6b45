from django.urls import path

from moderation import views

urlpatterns = [
    path("moderation/", views.queue_page, name="moderation-queue"),
    path("moderation/log/", views.log_page, name="moderation-log"),
    path("moderation/notes/<uuid:pk>/flag/", views.flag_note, name="moderation-flag"),
    path("moderation/notes/<uuid:pk>/dismiss/", views.dismiss, name="moderation-dismiss"),
    path("moderation/notes/<uuid:pk>/hide/", views.hide, name="moderation-hide"),
    path("moderation/notes/<uuid:pk>/unhide/", views.unhide, name="moderation-unhide"),
    path("moderation/notes/<uuid:pk>/approve/", views.approve, name="moderation-approve"),
    path("moderation/notes/<uuid:pk>/feature/", views.feature, name="moderation-feature"),
    path("moderation/notes/<uuid:pk>/unfeature/", views.unfeature, name="moderation-unfeature"),
    path("moderation/notes/<uuid:pk>/suspend/", views.suspend, name="moderation-suspend"),
    path("moderation/notes/<uuid:pk>/resubmit/", views.resubmit, name="moderation-resubmit"),
    path("moderation/notes/<uuid:pk>/withdraw/", views.withdraw, name="moderation-withdraw"),
    path(
        "moderation/seminars/<slug:slug>/premoderation/", views.seminar_premoderation, name="moderation-premoderation"
    ),
    path("moderation/people/<str:username>/unsuspend/", views.unsuspend, name="moderation-unsuspend"),
]
