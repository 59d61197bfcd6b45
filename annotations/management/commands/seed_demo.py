import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from annotations.writing import create_note
from reader.importing import import_file

SEED_ARTICLE = settings.BASE_DIR / "fixtures" / "north-korean-missile-crisis.md"
READERS = ["alice", "bob", "carol"]
CURATOR = "curator"
CURATED_APPS = ["reader", "annotations", "taggit", "accounts"]
DEMO_NOTES = [
    (
        "alice",
        "Military-First policy",
        "The *songun* line: the army before everything. Worth reading up on.",
        ["ideology", "context"],
        "public",
    ),
    (
        "bob",
        "money forgery and laundries",
        "These were the Banco Delta Asia sanctions of 2005.",
        ["sanctions", "history"],
        "public",
    ),
    ("alice", "the international solidarity is essential", "", ["thesis"], "private"),
    ("carol", "", "How far does the author's argument hold up after 2006?", ["question"], "public"),
]


class Command(BaseCommand):
    help = "Load the seed article and demo accounts (alice, bob, carol, curator). Development only."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DJANGO_DEBUG=1."
            )
        password = os.environ.get("MARGINALIA_DEMO_PASSWORD", "read-together")
        result = import_file(SEED_ARTICLE)
        self.stdout.write(result.summary())
        article = result.article
        created = [name for name in READERS if self._user(name, password)]
        if self._user(CURATOR, password, staff=True):
            created.append(CURATOR)
        self._notes(article)
        if created:
            self.stdout.write(f"Created demo accounts: {', '.join(created)}, all with the password: {password}")
        else:
            self.stdout.write(
                f"Demo accounts already exist and were left as they are (created with the password: {password})"
            )

    def _notes(self, article):
        """A few notes so the reading page shows what Marginalia does; only on a fresh database."""
        if Annotation.objects.filter(article=article).exists():
            return
        users = {user.username: user for user in get_user_model().objects.filter(username__in=READERS)}
        text = ArticleText(article.paragraphs.all())
        for username, quote, comment, tags, visibility in DEMO_NOTES:
            passage = text.by_quote(quote) if quote else None
            create_note(users[username], article, passage, comment=comment, tags=tags, visibility=visibility)
        self.stdout.write(f"Added {len(DEMO_NOTES)} demo notes.")

    def _user(self, username, password, staff=False):
        """Create the user if missing; return True when created."""
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com", "is_staff": staff}
        )
        if created:
            user.set_password(password)
            user.save()
        if staff:
            user.groups.add(self._curators())
        return created

    def _curators(self):
        group, _ = Group.objects.get_or_create(name="Curators")
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=CURATED_APPS))
        return group
