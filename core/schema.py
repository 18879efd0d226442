"""The answers every API operation may give besides its own, added to the OpenAPI schema.

drf-spectacular documents what each view declares; these come from the layers around the views:
the rate limits (429), a database outage (503, core/outage.py), the parsers (415), the
staff API's authentication (401 anonymous, 403 not staff), and the proxy in front (deploy/nginx:
400 for a malformed request line or headers, 414 for a URI too long, 503 while the app does not
answer). Each carries the one error shape, `{"detail"}`.
Free-text query parameters also say that a NUL character is refused (400): Django's form fields refuse
it, as PostgreSQL cannot compare text holding one.
"""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
COMMON_ANSWERS = {
    "400": ("Malformed request line or headers (refused by the proxy), or a malformed parameter.", {}),
    "414": ("The request URI is too long (refused by the proxy).", {}),
    "429": ("Over the rate limit for this client address.", RETRY_AFTER),
    "503": ("The database is unavailable for a moment.", RETRY_AFTER),
}
STAFF_ANSWERS = {
    "401": ("Not authenticated.", {}),
    "403": ("Authenticated, but not a staff user.", {}),
}
WITH_BODY_ANSWERS = {"415": ("The body is not of a media type the operation reads, or is malformed.", {})}
STAFF_PREFIX = "/api/admin/"
NO_NUL = "^[^\\u0000]*$"


def add_common_answers(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: documents the answers above on every operation under /api/."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        answers = {**COMMON_ANSWERS, **(STAFF_ANSWERS if path.startswith(STAFF_PREFIX) else {})}
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            body_answers = WITH_BODY_ANSWERS if "requestBody" in operation else {}
            for code, (description, headers) in {**answers, **body_answers}.items():
                response = {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
                responses.setdefault(code, {**response, **({"headers": headers} if headers else {})})
            refuse_nul_in_free_text(operation)
    return result


def refuse_nul_in_free_text(operation):
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "query" and schema.get("type") == "string" and schema.keys() == {"type"}:
            schema["pattern"] = NO_NUL
