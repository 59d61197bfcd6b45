from django.contrib import admin
from django.urls import include, path

from api.views import api

urlpatterns = [
    path("", include("reader.urls")),
    path("", include("annotations.urls")),
    path("", include("seminars.urls")),
    path("", include("moderation.urls")),
    path("", include("notebook.urls")),
    path("", include("search.urls")),
    path("", include("review.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
