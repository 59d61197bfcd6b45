# The seminar models now live in the seminars app (see seminars/migrations/0001_initial.py).
# Nothing changes in the database: the tables and their rows stay where they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0002_membership_notification_readinglistentry_seminar_and_more"),
        ("seminars", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="annotation",
                    name="seminar",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="With seminar visibility: the seminar whose members see the note.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="annotations",
                        to="seminars.seminar",
                    ),
                ),
                migrations.DeleteModel(name="ReadingListEntry"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Seminar"),
            ],
            database_operations=[],
        ),
    ]
