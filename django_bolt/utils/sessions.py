"""What Django's SessionMiddleware does after a view, for bolt views that used ``request.session``."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from django_bolt.sync import run_sync


async def finalize_session(request: Any, response: Any) -> None:
    """``Vary: Cookie`` if the session was read; save it and set (or delete) the cookie if it changed."""
    session = request.session
    try:
        accessed, modified, empty = session.accessed, session.modified, session.is_empty()
    except AttributeError:
        return
    if settings.SESSION_COOKIE_NAME in request.COOKIES and empty:
        response.delete_cookie(
            settings.SESSION_COOKIE_NAME,
            path=settings.SESSION_COOKIE_PATH,
            domain=settings.SESSION_COOKIE_DOMAIN,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
        patch_vary_headers(response, ("Cookie",))
        return
    if accessed:
        patch_vary_headers(response, ("Cookie",))
    if (modified or settings.SESSION_SAVE_EVERY_REQUEST) and not empty:
        if session.get_expire_at_browser_close():
            max_age, expires = None, None
        else:
            max_age = session.get_expiry_age()
            expires = http_date(time.time() + max_age)
        if response.status_code < 500:
            try:
                await run_sync(session.save)
            except UpdateError:
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed. The user may have logged "
                    "out in a concurrent request, for example."
                )
            response.set_cookie(
                settings.SESSION_COOKIE_NAME,
                session.session_key,
                max_age=max_age,
                expires=expires,
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=settings.SESSION_COOKIE_HTTPONLY or None,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
