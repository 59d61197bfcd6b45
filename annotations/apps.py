from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Notes"

    def ready(self):
        from annotations import receivers  # noqa: F401
