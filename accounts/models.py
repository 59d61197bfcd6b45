import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.lookalikes import email_key, username_keys

TOKEN_PREFIX = "mgl_"
VISIBLE_LENGTH = 12  # "mgl_" and the first 8 random characters: enough to tell tokens apart
LAST_USED_PRECISION = timedelta(minutes=1)


def digest(token):
    """SHA-256 of the token text. Tokens are long and random, so a plain hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, name, days=None):
        """Make a token for `user`, valid for `days` (None: until revoked); return (ApiToken, token text).

        The text is never stored.
        """
        text = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days) if days else None
        token = self.create(user=user, name=name, digest=digest(text), prefix=text[:VISIBLE_LENGTH], expires=expires)
        return token, text

    def find(self, text):
        """The token with this text if its user is active, expired or not (the caller says which), or None."""
        found = self.select_related("user").filter(digest=digest(text), user__is_active=True)
        return next(iter(found.order_by()[:1]), None)  # digests are unique: nothing to order by

    def revoke_all(self, user):
        """Revoke every token of `user` (a password change does); return how many there were."""
        count, _ = self.filter(user=user).delete()
        return count


class ApiToken(models.Model):
    """A personal token for scripts: `Authorization: Bearer mgl_…`. Only its hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so you know which to revoke.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=VISIBLE_LENGTH, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    expires = models.DateTimeField(null=True, blank=True, editable=False, help_text="Empty: valid until revoked.")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"
        constraints = [models.CheckConstraint(condition=~models.Q(name=""), name="api_token_name_not_empty")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self):
        return self.expires is not None and self.expires <= timezone.now()

    def touch(self):
        """Record a use, at most once a minute, so a busy script does not write on every request."""
        now = timezone.now()
        if self.last_used is None or now - self.last_used >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now


# Telling accounts apart ----------------------------------------------------------------

# Casefolding and the lookalike table at most triple a 150-character name or a 254-character address.
KEY_LENGTH = 1000


class AccountKeysQuerySet(models.QuerySet):
    def record(self, user, created=False):
        """Store the user's keys, or update those that changed; IntegrityError if another account holds one."""
        keys = {**username_keys(user.get_username()), "email_caseless": email_key(user.email)}
        current = None if created else self.filter(user=user).first()
        if current is None:
            self.create(user=user, **keys)
            return
        changed = {field: key for field, key in keys.items() if not current.holds(field, key)}
        if changed:
            self.filter(user=user).update(**changed)

    def taken(self, **keys):
        """The accounts already holding any of these keys (field=value; None values are skipped)."""
        query = models.Q()
        for field, key in keys.items():
            if key is not None:
                query |= models.Q(**{field: key})
        return self.filter(query) if query else self.none()


# Accounts that shared a key before keys were unique keep their names and addresses; their key
# carries this mark and their id, so the index holds and nobody new can take the key.
GRANDFATHERED = "#"


class AccountKeys(models.Model):
    """What tells one account from another, each key unique: the username's look (`username_skeleton`),
    its look whatever the case (`username_caseless`), and the email address whatever the case.

    The user model is Django's own, so the keys live beside it, kept in step on every save
    (`keep_account_keys` below). The database refuses a lookalike of a taken name or a taken
    address even if a form forgets to ask: a check in SQL cannot do this portably, since SQLite
    has neither NFKC nor a lookalike table.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="account_keys"
    )
    username_skeleton = models.CharField(max_length=KEY_LENGTH, unique=True)
    username_caseless = models.CharField(max_length=KEY_LENGTH, unique=True)
    email_caseless = models.CharField(max_length=KEY_LENGTH, unique=True, null=True, blank=True)

    objects = AccountKeysQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "account keys"

    def __str__(self):
        return self.username_caseless

    def holds(self, field, key):
        """Whether the stored key is `key`, or `key` grandfathered."""
        stored = getattr(self, field)
        return stored == key or (key is not None and stored == f"{key}{GRANDFATHERED}{self.pk}")


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def keep_account_keys(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """Every save that may change the name or the address records the keys (signing in saves neither)."""
    if raw or (update_fields is not None and not {"username", "email"} & set(update_fields)):
        return
    AccountKeys.objects.record(instance, created=created)
