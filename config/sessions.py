"""The site's sessions: Django's, in the database, with the read every signed-in request makes prepared."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from reader.database import Prepared

# The session's data while it has not expired: the query Django's own store makes, built once.
_unexpired_data = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list("session_data"),
    "text",
    "datetime",
)


class SessionStore(db.SessionStore):
    """Django's database sessions (settings.SESSION_ENGINE), read with a prepared query: building the
    ORM's cost a signed-in page more than the database took to answer it. All else is Django's."""

    def load(self):
        found = _unexpired_data(self.session_key, timezone.now()) if self.session_key else []
        if not found:  # none, or expired: a new session, as Django's store starts one
            self._session_key = None
            return {}
        return self.decode(found[0][0])
