"""Sign-in through the organization's directory (LDAP / Active Directory), when ``LDAP_SERVER_URI`` is set.

The directory checks the password (a simple bind as the user, ``LDAP_USER_DN_TEMPLATE``); ridbook decides who the
user is and what he may do: only a user an administrator has added (with his organization and role), and active,
signs in this way. A name the directory knows but ridbook does not is refused, like a wrong password. ldap3 is pure
Python (django-auth-ldap needs python-ldap, which ships no binary wheels)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from ldap3 import SIMPLE, Connection, Server
from ldap3.core.exceptions import LDAPException
from ldap3.utils.dn import escape_rdn

logger = logging.getLogger("ridbook.accounts.directory")


def directory_configured() -> bool:
    return bool(settings.LDAP_SERVER_URI and settings.LDAP_USER_DN_TEMPLATE)


def directory_password_ok(username: str, password: str) -> bool:
    """Does the directory accept this password for this user name? An unreachable directory says no (logged)."""
    if not directory_configured() or not username or not password:  # an empty password is an anonymous bind
        return False
    dn = settings.LDAP_USER_DN_TEMPLATE.format(username=escape_rdn(username))
    timeout = settings.LDAP_TIMEOUT_SECONDS
    server = Server(settings.LDAP_SERVER_URI, connect_timeout=timeout)
    connection = Connection(server, user=dn, password=password, authentication=SIMPLE, receive_timeout=timeout)
    try:
        if settings.LDAP_START_TLS:
            connection.open()
            connection.start_tls()
        return bool(connection.bind())
    except LDAPException as exc:
        logger.warning("directory %s: %s", settings.LDAP_SERVER_URI, exc)
        return False
    finally:
        connection.unbind()


class DirectoryBackend(ModelBackend):
    """After django-axes (which counts the failures) and the local passwords."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kw: Any) -> Any:
        from ridbook.accounts.models import User

        if not directory_configured() or not username or not password:
            return None
        user = User.objects.filter(username=username).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return user if directory_password_ok(username, password) else None
