from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.lookalikes import email_key, username_keys
from accounts.models import AccountKeys, ApiToken

EMAIL_TAKEN = "Another account uses this email address. If it is yours, reset that account's password instead."


def check_username(username, user=None):
    """Refuse a name with no letter or digit ("." or ".."), or one that passes for another account's."""
    if not any(char.isalnum() for char in username):
        raise ValidationError("A username needs at least one letter or digit.")
    holders = AccountKeys.objects.taken(**username_keys(username)).select_related("user")
    if user is not None and user.pk:
        holders = holders.exclude(user=user)
    holder = holders.first()
    if holder is not None:
        raise ValidationError(
            f"This name looks too much like “{holder.user.get_username()}”, which is taken: "
            "choose one that cannot be mistaken for it."
        )


def check_email(email, user=None):
    """Refuse an address another account uses, whatever its case."""
    holders = AccountKeys.objects.taken(email_caseless=email_key(email))
    if user is not None and user.pk:
        holders = holders.exclude(user=user)
    if holders.exists():
        raise ValidationError(EMAIL_TAKEN)


class AccountChecks:
    """Username and email checks for the forms that make or rename an account (sign-up, the admin)."""

    def clean_username(self):
        # UserCreationForm's own check (the same name in other case) runs first; it returns None when it refuses.
        own_check = getattr(super(), "clean_username", None)
        username = own_check() if own_check else self.cleaned_data.get("username")
        if username:
            check_username(username, self.instance)
        return username

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        check_email(email, self.instance)
        return email


class SignupForm(AccountChecks, auth_forms.UserCreationForm):
    class Meta(auth_forms.UserCreationForm.Meta):
        fields = ("username", "email")


class AdminUserCreationForm(AccountChecks, auth_forms.AdminUserCreationForm):
    pass


class AdminUserChangeForm(AccountChecks, auth_forms.UserChangeForm):
    pass


class RevokesTokens:
    """A new password revokes the user's API tokens: a token works like the password, so someone
    who had to be locked out by changing it would otherwise keep this way in. `revoked` counts them.
    """

    revoked = 0

    def save(self, commit=True):
        with transaction.atomic():
            user = super().save(commit)
            if commit:
                self.revoked = ApiToken.objects.revoke_all(user)
        return user


class PasswordChangeForm(RevokesTokens, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(RevokesTokens, auth_forms.SetPasswordForm):
    pass


class AdminPasswordChangeForm(RevokesTokens, auth_forms.AdminPasswordChangeForm):
    pass


EXPIRY_CHOICES = [
    ("", "Never (until you revoke it)"),
    ("7", "In 7 days"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class TokenForm(forms.ModelForm):
    expires_in = forms.TypedChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
        help_text="An expired token stops working; make a new one then.",
    )

    class Meta:
        model = ApiToken
        fields = ["name"]
        widgets = {"name": forms.TextInput(attrs={"placeholder": "e.g. export script on my laptop"})}
