from django.urls import path

from notebook import views

urlpatterns = [
    path("notebook/", views.notebook, name="notebook"),
    path("notebook/export/", views.export, name="notebook-export"),
    path("notebook/import/", views.import_page, name="notebook-import"),
    path("notebook/tags/", views.tags, name="notebook-tags"),
    path("notebook/tags/<str:slug>/rename/", views.tag_rename, name="notebook-tag-rename"),
]
