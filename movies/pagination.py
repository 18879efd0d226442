from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response


class MoviePagination(BasePagination):
    """`?page=1&per_page=50` answered as `{movies, total, page, per_page, pages}`.

    Pages start at 1; a page past the end is empty, not an error. The existing
    frontend loads a whole library at once with per_page=500, so up to 1,000 are
    served and a larger per_page is lowered to 1,000 (the answer says so).
    """

    default_per_page = 50
    max_per_page = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.page = _positive_int(request.query_params, "page", 1)
        self.per_page = min(
            _positive_int(request.query_params, "per_page", self.default_per_page), self.max_per_page
        )
        self.total = queryset.count()
        start = (self.page - 1) * self.per_page
        return list(queryset[start : start + self.per_page]) if start < self.total else []

    def get_paginated_response(self, data):
        pages = -(-self.total // self.per_page)
        return Response(
            {
                "movies": data,
                "total": self.total,
                "page": self.page,
                "per_page": self.per_page,
                "pages": pages,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["movies", "total", "page", "per_page", "pages"],
            "properties": {
                "movies": schema,
                "total": {"type": "integer", "description": "Movies matching the filters."},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": self.max_per_page},
                "pages": {"type": "integer"},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": f"Movies per page, at most {self.max_per_page} (larger values are lowered).",
                "schema": {"type": "integer", "minimum": 1, "default": self.default_per_page},
            },
        ]


def _positive_int(params, name, default):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "Must be a whole number."}) from None
    if value < 1:
        raise ValidationError({name: "Must be 1 or more."})
    return value
