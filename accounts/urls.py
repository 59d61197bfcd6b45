from django.urls import path

from accounts import passwords, views

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("signup/", views.signup, name="signup"),
    # Before django.contrib.auth.urls (config/urls.py), which serves the rest under the same names:
    # these revoke API tokens with a new password, and limit reset emails.
    path("password_change/", views.PasswordChange.as_view(), name="password_change"),
    path("password_reset/", passwords.password_reset, name="password_reset"),
    path("reset/<uidb64>/<token>/", passwords.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
]
