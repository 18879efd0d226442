"""Staff API tokens, guarded against guessing as the admin login is (django-axes there).

An address that sent LOGIN_FAILURE_LIMIT wrong tokens within LOGIN_LOCKOUT_MINUTES gets a 429 for
every token, the right one too, until that window ends; each wrong token is logged with the address.
Counted in Redis with the API's rate limits (core/throttling.py), so every API process shares them.
"""

import logging

from django.conf import settings
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from core.throttling import client_address, count_in_window

logger = logging.getLogger(__name__)


class GuardedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        if not get_authorization_header(request).lower().startswith(self.keyword.lower().encode() + b" "):
            return None  # no token offered: other authentication, or anonymous
        address = client_address(request)
        seconds = settings.LOGIN_LOCKOUT_MINUTES * 60
        failures, retry_after = count_in_window(f"token-failures:{address}", seconds, add=0)
        if failures is not None and failures >= settings.AXES_FAILURE_LIMIT:
            raise Throttled(
                wait=retry_after,
                detail=f"Too many wrong API tokens from this address: try again in "
                f"{settings.LOGIN_LOCKOUT_MINUTES} minutes.",
            )
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            failures, _ = count_in_window(f"token-failures:{address}", seconds)
            logger.warning(
                "Wrong API token from %s (%s of %d before a lockout)",
                address,
                failures,
                settings.AXES_FAILURE_LIMIT,
            )
            raise
