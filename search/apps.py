from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from search import indexing  # noqa: F401  (connects the receivers that keep the index in step)
