from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("signup/", views.signup, name="signup"),
]
