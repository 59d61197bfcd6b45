from tests.search.conftest import library  # noqa: F401  (the same small article)
