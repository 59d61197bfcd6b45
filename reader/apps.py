from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "Articles"

    def ready(self):
        from reader.database import without_jit

        connection_created.connect(without_jit, dispatch_uid="reader.database.without_jit")
