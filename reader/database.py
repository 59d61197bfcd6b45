"""The site's sessions with its database."""

from django.conf import settings


def without_jit(sender, connection, **kwargs):
    """Turn PostgreSQL's JIT compiler off for a new connection, unless settings.POSTGRES_JIT.

    Connected to `connection_created` (reader.apps). The site's queries run in milliseconds, and the
    JIT compiles any whose estimated cost looks high for far longer (the suite on PostgreSQL: 931 s
    with it, 600 s without). A SET on the session rather than a startup option, so PGOPTIONS, a
    URL's ?options= and connection poolers that refuse startup options all work as before.
    """
    if connection.vendor == "postgresql" and not settings.POSTGRES_JIT:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
