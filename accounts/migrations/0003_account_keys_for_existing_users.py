"""Keys for the accounts made before keys were recorded.

Where two existing accounts already share a key (the same address, or names that look alike),
the oldest keeps it and the others keep their names and addresses with the key marked as
theirs alone ("alice#7"), so the unique index can be built and nothing is lost.
"""

from django.conf import settings
from django.db import migrations

from accounts.lookalikes import email_key, username_keys

GRANDFATHERED = "#"


def record_keys(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    AccountKeys = apps.get_model("accounts", "AccountKeys")
    seen = set()
    rows = []
    for user in User.objects.order_by("pk").only("pk", "username", "email").iterator():
        keys = {**username_keys(user.username), "email_caseless": email_key(user.email)}
        for field, key in keys.items():
            if key is None:
                continue
            if (field, key) in seen:
                keys[field] = f"{key}{GRANDFATHERED}{user.pk}"
            seen.add((field, key))
        rows.append(AccountKeys(user_id=user.pk, **keys))
    AccountKeys.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_token_expiry_and_account_keys")]

    operations = [migrations.RunPython(record_keys, migrations.RunPython.noop)]
