"""Query-string filters and ordering of a session's movies."""

import django_filters
from django.db.models import Exists, F, OuterRef, Q

from movies.models import Movie, Watch


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Ordering where unknown values (unrated, no runtime...) sort last both ways; ties by id."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param[1:] if descending else param])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "id")


class MovieFilter(django_filters.FilterSet):
    enriched = django_filters.BooleanFilter(method="filter_enriched", label="TMDB data found (true/false)")
    enrichment_status = django_filters.ChoiceFilter(choices=Movie.EnrichmentStatus.choices)
    genre = django_filters.CharFilter(method="filter_array", field_name="genres", label="Has this genre")
    director = django_filters.CharFilter(
        method="filter_array", field_name="directors", label="Directed by this person"
    )
    actor = django_filters.CharFilter(
        method="filter_array", field_name="cast", label="This person in the cast"
    )
    country = django_filters.CharFilter(
        method="filter_array", field_name="production_countries", label="Produced in this country"
    )
    language = django_filters.CharFilter(field_name="original_language", lookup_expr="iexact")
    year_min = django_filters.NumberFilter(field_name="year", lookup_expr="gte")
    year_max = django_filters.NumberFilter(field_name="year", lookup_expr="lte")
    rated = django_filters.BooleanFilter(field_name="rating", lookup_expr="isnull", exclude=True)
    rewatched = django_filters.BooleanFilter(method="filter_rewatched", label="Watched more than once")
    liked = django_filters.BooleanFilter()
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains")
    ordering = NullsLastOrderingFilter(
        fields=["title", "year", "rating", "watched_date", "runtime", "popularity"]
    )

    class Meta:
        model = Movie
        fields = []

    def filter_enriched(self, queryset, name, value):
        enriched = Q(enrichment_status=Movie.EnrichmentStatus.ENRICHED)
        return queryset.filter(enriched if value else ~enriched)

    def filter_array(self, queryset, name, value):
        return queryset.filter(**{f"{name}__contains": [value]})

    def filter_rewatched(self, queryset, name, value):
        rewatched = Q(rewatch=True) | Exists(Watch.objects.filter(movie=OuterRef("pk"), rewatch=True))
        return queryset.filter(rewatched if value else ~rewatched)
