import math

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import PasswordChangeForm, SignupForm, TokenForm
from accounts.models import ApiToken
from accounts.throttling import throttle


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@throttle("signup", per=("address",))
def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:  # someone took the name's look or the address since the form checked
            form.add_error(None, "That name or email address was taken a moment ago: choose another.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request))
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)}, status=status)


NEW_TOKEN = "new-api-token"  # the session key that carries a new token's text to the one page that shows it


@login_required
@never_cache  # the page may show a token's text: no cache keeps a copy
def account(request):
    """The signed-in reader's account page: their personal API tokens, and a token just made, once."""
    context = {}
    new = request.session.pop(NEW_TOKEN, None)
    token = request.user.api_tokens.filter(pk=new["pk"]).first() if new else None
    if token is not None:
        context.update(new_token=token, new_token_text=new["text"])
    return _account_page(request, TokenForm(), **context)


@login_required
@require_POST
def token_create(request):
    """Make a token, then redirect (POST-redirect-GET): reloading the page that shows it makes no second one.

    The token's text is stored nowhere but the session, and only until the account page has
    shown it once (that GET pops it), so it cannot be shown again.
    """
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    token, text = ApiToken.objects.issue(request.user, form.cleaned_data["name"], days=form.cleaned_data["expires_in"])
    request.session[NEW_TOKEN] = {"pk": token.pk, "text": text}
    return redirect(reverse("account") + "#tokens")


def _account_page(request, form, status=200, **context):
    context.update(form=form, tokens=request.user.api_tokens.all())
    return render(request, "accounts/account.html", context, status=status)


@login_required
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    if request.method == "POST":
        token.delete()
        messages.success(request, f"Revoked the token “{token.name}”; scripts using it can no longer sign in.")
        return redirect("account")
    return render(request, "accounts/token_revoke.html", {"token": token})


# Passwords: a new one revokes the API tokens (accounts.forms.RevokesTokens), and the reader is told.


def say_tokens_revoked(request, count):
    if count:
        messages.info(
            request,
            f"Your {count} API token{'s were' if count != 1 else ' was'} revoked with the old password: "
            "scripts that used them need a new token from your account page.",
        )


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        say_tokens_revoked(self.request, form.revoked)
        return response


def locked_out(request, response, credentials):
    """django-axes' answer once sign-in is paused for an account or an address (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request).total_seconds()
    context = {"failure_limit": get_failure_limit(request, credentials), "minutes": math.ceil(cool_off / 60)}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off))
    return response
