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
    Every parameter given is checked; when synonyms are given together the newer
    name wins (`limit`, `skip`), and `page`, `per_page` and `offset` in the answer
    say what was applied.
    """

    default_per_page = 50
    max_per_page = 1000

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        # Given together, the newer names win; the answer says which page size and offset applied.
        per_page = _first_given(params, ("limit", "per_page"), self.default_per_page, minimum=1)
        self.per_page = min(per_page, self.max_per_page)
        self.offset = _first_given(params, ("skip", "offset"), None, minimum=0)
        if self.offset is None:
            self.page = _whole_number(params, "page", 1, minimum=1)
            self.offset = (self.page - 1) * self.per_page
        else:
            _whole_number(params, "page", 1, minimum=1)  # still refused when malformed
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
            parameter("limit", f"Same as `per_page`, and wins over it. {per_page}", 1),
            parameter("skip", f"{skip} Wins over `page` and `offset`.", 0),
            parameter("offset", f"Same as `skip`. {skip} Wins over `page`.", 0),
        ]


def _first_given(params, names, default, minimum):
    """The value of the first of synonymous parameters that is given; every one must be well-formed."""
    values = [_whole_number(params, name, None, minimum) for name in names]
    return next((value for value in values if value is not None), default)


def _whole_number(params, name, default, minimum):
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "Must be a whole number."}) from None
    if value < minimum:
        raise ValidationError({name: f"Must be {minimum} or more."})
    return value
