"""Upgrading: accounts made before keys existed get theirs; those that already clash keep everything."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.forms import check_username
from accounts.models import AccountKeys

BEFORE_THE_KEYS = [("accounts", "0002_token_expiry_and_account_keys")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_get_keys_and_clashing_ones_are_kept_as_they_are():
    try:
        old_apps = migrate(BEFORE_THE_KEYS)
        OldUser = old_apps.get_model("auth", "User")
        alice = OldUser.objects.create(username="alice", email="shared@example.com", password="!")
        lookalike = OldUser.objects.create(username="аlice", email="Shared@Example.com", password="!")
        dora = OldUser.objects.create(username="dora", email="", password="!")
        migrate([("accounts", "0003_account_keys_for_existing_users")])

        keys = {row.user_id: row for row in AccountKeys.objects.all()}
        assert (keys[alice.pk].username_skeleton, keys[alice.pk].email_caseless) == ("alice", "shared@example.com")
        assert keys[lookalike.pk].username_skeleton == f"alice#{lookalike.pk}"
        assert keys[lookalike.pk].email_caseless == f"shared@example.com#{lookalike.pk}"
        assert keys[dora.pk].email_caseless is None
        User = get_user_model()
        assert sorted(User.objects.values_list("username", flat=True)) == ["alice", "dora", "аlice"]

        # The grandfathered account saves as before, and nobody new takes the key.
        kept = User.objects.get(pk=lookalike.pk)
        kept.first_name = "Not Alice"
        kept.save()
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user("aIice")
        with pytest.raises(ValidationError, match="looks too much like “alice”"):
            check_username("ALICE")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
