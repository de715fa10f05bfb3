"""The database session store, remembering when the session it loaded expires, so that a request can tell whether
saving it again would move that time on by much (nwwmh_portal.middleware.SessionRefreshMiddleware)."""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    stored_expiry = None  # when the loaded session ends, as stored; None before loading or when nothing was found

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session is not None else None
        return session

    async def _aget_session_from_db(self):
        session = await super()._aget_session_from_db()
        self.stored_expiry = session.expire_date if session is not None else None
        return session
