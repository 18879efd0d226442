"""One JSON error shape for every 4xx and 5xx: ``{"detail": "...", ...}``.

The single-page app shows ``detail``; validation errors also carry ``errors``,
the per-field messages. DRF views go through ``api_exception_handler``; the
Django handlers cover what never reaches a DRF view (unknown paths, crashes).
"""

from django.db import DataError
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError


def api_exception_handler(exc, context):
    """DRF's handler, with every body reduced to one ``detail`` string (headers such as Retry-After kept)."""
    if isinstance(exc, DataError):
        # PostgreSQL refused a value the request carried (a NUL or a lone surrogate in JSON text, a
        # number out of range) that validation let through: the request's fault, and its transaction
        # is rolled back whole.
        return Response({"detail": "The request holds a value that cannot be stored."}, status=400)
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc)}, status=exc.status_code)
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django answers it with handler500
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": first_message(response.data), "errors": response.data}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": first_message(response.data)}
    else:
        response.data = {**response.data, "detail": str(response.data["detail"])}
    return response


def first_message(errors):
    """The first message of a DRF error structure, prefixed by where it is: "movies[3].title: ..."."""
    path = ""
    while not isinstance(errors, str):
        if isinstance(errors, dict) and errors:
            key, errors = next(iter(errors.items()))
            if isinstance(key, int):  # an item of a list, as DRF keys them
                path += f"[{key}]"
            elif key not in ("non_field_errors", "detail"):
                path += f".{key}" if path else str(key)
        elif isinstance(errors, list | tuple) and any(errors):
            # A list serializer answers {} for each valid item: skip to the first with an error.
            index, errors = next((index, item) for index, item in enumerate(errors) if item)
            if not isinstance(errors, str):
                path += f"[{index}]"
        else:
            return "Invalid request."
    return f"{path}: {errors}" if path else str(errors)


def _error(status, detail):
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request, exception=None):
    return _error(400, "Bad request.")


def permission_denied(request, exception=None):
    return _error(403, "Permission denied.")


def not_found(request, exception=None):
    return _error(404, "Not found.")


def server_error(request):
    return _error(500, "Internal server error.")
