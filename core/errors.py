"""Domain errors: what a service refuses, with the HTTP status the API answers it with.

Services raise these without knowing HTTP; core/exceptions.py's handler answers every one as
``{"detail": str(error)}`` with its ``status_code``, so no view maps them one by one.
"""


class DomainError(Exception):
    """A request the domain refuses; the message says why, in words for the person who sent it."""

    status_code = 400


class Conflict(DomainError):
    """Refused because of the state something is in now (still enriching): it may work later."""

    status_code = 409


class TooLarge(DomainError):
    """Over a size, file or row limit."""

    status_code = 413
