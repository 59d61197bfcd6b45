"""Password reset by email: Django's views, with our templates, a limit on requests, and a 400 for a bad form.

Enumeration-safe as Django makes it: whether or not an account has the address, the answer is the
same page ("if an account uses this address, an email is on its way"). The new password goes
through accounts.forms.SetPasswordForm, which revokes the account's API tokens.
"""

from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.contrib.auth import views as auth_views

from accounts import views
from accounts.forms import SetPasswordForm
from accounts.throttling import throttle


class BadFormIs400:
    """A form sent back with errors answers 400, as every other form here does."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordReset(BadFormIs400, auth_views.PasswordResetView):
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        # Links in emails use the site's own address when it is set, not whatever Host the request named.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirm(BadFormIs400, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can reset the password holds the mailbox: the account's sign-in pause ends.
        reset_sign_in_failures(username=form.user.get_username())
        views.say_tokens_revoked(self.request, form.revoked)
        return response


password_reset = throttle("password-reset", per=("address", "email"))(PasswordReset.as_view())
