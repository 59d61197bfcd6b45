from django.urls import path

from notebook import views

urlpatterns = [
    path("notebook/", views.notebook, name="notebook"),
    path("notebook/export/", views.export, name="notebook-export"),
    path("notebook/import/", views.import_page, name="notebook-import"),
]
