from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response


class MoviePagination(BasePagination):
    """`?page=1&per_page=50` or `?skip=0&limit=50`, answered `{movies, total, page, per_page, pages, offset}`.

    Pages start at 1; a page past the end is empty, not an error. The existing
    frontend loads a whole library at once with per_page=500, so up to 1,000 are
    served and a larger per_page is lowered to 1,000 (the answer says so). The
    design's newer frontend asks `skip` and `limit`: `limit` is `per_page` under
    another name, `skip` (or `offset`) counts movies to pass over instead of a page.
    """

    default_per_page = 50
    max_per_page = 1000

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.per_page = min(
            _one_of(params, ("per_page", "limit"), self.default_per_page, minimum=1), self.max_per_page
        )
        if _given(params, "page") and any(_given(params, name) for name in ("skip", "offset")):
            raise ValidationError({"page": "Give page, or skip/offset, not both."})
        self.offset = _one_of(params, ("skip", "offset"), None, minimum=0)
        if self.offset is None:
            self.page = _whole_number(params, "page", 1, minimum=1)
            self.offset = (self.page - 1) * self.per_page
        else:
            self.page = self.offset // self.per_page + 1
        self.total = queryset.count()
        return list(queryset[self.offset : self.offset + self.per_page]) if self.offset < self.total else []

    def get_paginated_response(self, data):
        pages = -(-self.total // self.per_page)
        return Response(
            {
                "movies": data,
                "total": self.total,
                "page": self.page,
                "per_page": self.per_page,
                "pages": pages,
                "offset": self.offset,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["movies", "total", "page", "per_page", "pages", "offset"],
            "properties": {
                "movies": schema,
                "total": {"type": "integer", "description": "Movies matching the filters."},
                "page": {"type": "integer", "minimum": 1, "description": "The page holding the first movie."},
                "per_page": {"type": "integer", "minimum": 1, "maximum": self.max_per_page},
                "pages": {"type": "integer"},
                "offset": {"type": "integer", "minimum": 0, "description": "Movies passed over."},
            },
        }

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, minimum, default=None):
            schema = {"type": "integer", "minimum": minimum}
            if default is not None:
                schema["default"] = default
            return {"name": name, "in": "query", "required": False, "description": description} | {
                "schema": schema
            }

        per_page = f"Movies per page, at most {self.max_per_page} (larger values are lowered)."
        skip = "Movies to pass over, instead of `page`."
        return [
            parameter("page", "Page number, from 1.", 1, 1),
            parameter("per_page", per_page, 1, self.default_per_page),
            parameter("limit", f"Same as `per_page`. {per_page}", 1),
            parameter("skip", skip, 0),
            parameter("offset", f"Same as `skip`. {skip}", 0),
        ]


def _given(params, name):
    return params.get(name) not in (None, "")


def _one_of(params, names, default, minimum):
    """The value of whichever of two synonymous parameters is given; both, they must agree."""
    values = {name: _whole_number(params, name, None, minimum) for name in names if _given(params, name)}
    if len(set(values.values())) > 1:
        raise ValidationError({names[0]: f"Give {names[0]} or {names[1]}, not two different values."})
    return next(iter(values.values()), default)


def _whole_number(params, name, default, minimum):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "Must be a whole number."}) from None
    if value < minimum:
        raise ValidationError({name: f"Must be {minimum} or more."})
    return value
