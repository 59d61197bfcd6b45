from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiToken

MAX_DAYS = 3650


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (its last word) once; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for (default: %(default)s).")
        parser.add_argument(
            "--days", type=int, help=f"Let the token expire after this many days (1 to {MAX_DAYS}; default: never)."
        )

    def handle(self, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}; create the account first.")
        name = name.strip()
        if not name or len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("Give the token a name of 1 to 100 characters with --name.")
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise CommandError(
                f"Give --days a whole number of days from 1 to {MAX_DAYS}, or leave it out for no expiry."
            )
        token, text = ApiToken.objects.issue(user, name, days=days)
        until = f", valid until {token.expires:%Y-%m-%d %H:%M} UTC" if token.expires else ""
        self.stdout.write(f"Created token “{name}” for {username}{until}. It is shown only this once:\n{text}")
