from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.forms import SignupForm
from accounts.models import ApiToken


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request))
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)}, status=status)


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        widgets = {"name": forms.TextInput(attrs={"placeholder": "e.g. export script on my laptop"})}


@login_required
def account(request):
    """The signed-in reader's account page: their personal API tokens."""
    return _account_page(request, TokenForm())


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    # Shown in this response only: the text is not stored anywhere, so it cannot be shown again.
    token, text = ApiToken.objects.issue(request.user, form.cleaned_data["name"])
    return _account_page(request, TokenForm(), new_token=token, new_token_text=text)


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
