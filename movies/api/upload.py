from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from drf_spectacular.utils import OpenApiRequest, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from movies.api.upload_serializers import UploadRequestSerializer, UploadResponseSerializer
from movies.services.storing import create_session_from_upload
from sessions.export.reading import format_size

# Room for the multipart framing around the files themselves (a few hundred bytes per file).
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is too large."
    default_code = "upload_too_large"


class UploadView(APIView):
    """POST a Letterboxd export (the ZIP, or its CSV files) in the multipart field `files`."""

    parser_classes = [MultiPartParser]
    # Uploads are anonymous: the session id answered is the capability. No session
    # authentication, so a logged-in admin's cookie does not bring CSRF checks along.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(
                UploadRequestSerializer, encoding={"files": {"contentType": "application/zip, text/csv"}}
            )
        },
        responses={
            201: UploadResponseSerializer,
            400: OpenApiResponse(description="Not a usable export; `detail` names the problem."),
            413: OpenApiResponse(description="Over a size, file or row limit; `detail` says which."),
        },
    )
    def post(self, request):
        serializer = UploadRequestSerializer(data=_multipart_data(request))
        if not serializer.is_valid():
            raise ParseError(_first_message(serializer.errors))
        # An unusable export raises UploadError (400, 413 past a limit): core/exceptions.py answers it.
        session = create_session_from_upload(files=serializer.validated_data["files"])
        return Response(UploadResponseSerializer(session).data, status=status.HTTP_201_CREATED)


def _multipart_data(request):
    """The parsed form, refusing an oversized body before reading it.

    Django raises its own limits (RequestDataTooBig, TooManyFilesSent) while parsing,
    outside DRF's exception handling; here they become JSON answers with a `detail`.
    """
    length = declared_length(request)
    if length > settings.UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD_BYTES:
        raise PayloadTooLarge(
            f"The upload is {format_size(length)}; the limit is {format_size(settings.UPLOAD_MAX_BYTES)}."
        )
    try:
        return request.data
    except RequestDataTooBig:
        raise PayloadTooLarge("The form data is too large.") from None
    except TooManyFilesSent:
        raise PayloadTooLarge(
            f"Too many files: at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} per upload."
        ) from None
    except TooManyFieldsSent:
        raise ParseError("Too many form fields.") from None


def declared_length(request):
    """The body's length as its Content-Length header gives it; 0 when absent or malformed.

    Only ASCII digits: isdigit() alone takes superscripts ("¹²"), which int() refuses.
    Django's parser refuses a malformed header itself.
    """
    declared = request.META.get("CONTENT_LENGTH") or ""
    return int(declared) if declared.isascii() and declared.isdigit() else 0


def _first_message(errors):
    """A serializer's first error, as the one string the body's `detail` carries."""
    while not isinstance(errors, str):
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors)
