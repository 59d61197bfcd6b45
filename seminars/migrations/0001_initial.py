# The seminar models moved here from the annotations app. Their tables keep their names and
# their rows: this migration only tells Django's model state where the models now live.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import seminars.models

MOVED = ["seminar", "membership", "readinglistentry"]


def move_content_types(apps, schema_editor):
    """Permissions and admin history follow the models to their new app."""
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="annotations", model__in=MOVED).update(app_label="seminars")


def move_content_types_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="seminars", model__in=MOVED).update(app_label="annotations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("annotations", "0002_membership_notification_readinglistentry_seminar_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reader", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Seminar",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=80, unique=True)),
                ("name", models.CharField(max_length=120)),
                ("description", models.TextField(blank=True)),
                ("join_code", models.CharField(default=seminars.models.new_join_code, editable=False, max_length=40, unique=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
            options={"db_table": "annotations_seminar", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("instructor", "Instructor"), ("participant", "Participant")], default="participant", max_length=12)),
                ("joined", models.DateTimeField(auto_now_add=True)),
                ("seminar", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="seminars.seminar")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL)),
            ],
            options={"db_table": "annotations_membership", "ordering": ["role", "joined"]},
        ),
        migrations.CreateModel(
            name="ReadingListEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(default=0)),
                ("added", models.DateTimeField(auto_now_add=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reading_list_entries", to="reader.article")),
                ("seminar", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reading_list", to="seminars.seminar")),
            ],
            options={
                "db_table": "annotations_readinglistentry",
                "verbose_name_plural": "reading list entries",
                "ordering": ["position", "added"],
            },
        ),
        migrations.AddField(
            model_name="seminar",
            name="articles",
            field=models.ManyToManyField(blank=True, related_name="seminars", through="seminars.ReadingListEntry", to="reader.article"),
        ),
        migrations.AddField(
            model_name="seminar",
            name="members",
            field=models.ManyToManyField(related_name="seminars", through="seminars.Membership", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name="seminar",
            constraint=models.CheckConstraint(condition=models.Q(("slug", ""), _negated=True), name="seminar_slug_not_empty"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(fields=("seminar", "user"), name="membership_unique"),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(condition=models.Q(("role__in", ["instructor", "participant"])), name="membership_role_valid"),
        ),
        migrations.AddConstraint(
            model_name="readinglistentry",
            constraint=models.UniqueConstraint(fields=("seminar", "article"), name="reading_list_entry_unique"),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
