import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "mgl_"
VISIBLE_LENGTH = 12  # "mgl_" and the first 8 random characters: enough to tell tokens apart
LAST_USED_PRECISION = timedelta(minutes=1)


def digest(token):
    """SHA-256 of the token text. Tokens are long and random, so a plain hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, name):
        """Make a token for `user`; return (ApiToken, token text). The text is never stored."""
        text = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, digest=digest(text), prefix=text[:VISIBLE_LENGTH])
        return token, text

    def user_for(self, text):
        """The active user the token text belongs to, or None; notes when the token was used."""
        token = self.select_related("user").filter(digest=digest(text), user__is_active=True).first()
        if token is None:
            return None
        token.touch()
        return token.user


class ApiToken(models.Model):
    """A personal token for scripts: `Authorization: Bearer mgl_…`. Only its hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so you know which to revoke.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=VISIBLE_LENGTH, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="api_token_name_not_empty")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def touch(self):
        """Record a use, at most once a minute, so a busy script does not write on every request."""
        now = timezone.now()
        if self.last_used is None or now - self.last_used >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now
