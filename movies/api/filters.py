"""Query-string filters and ordering of a session's movies."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q

from movies.models import Movie, Watch


class _PresentMeansGiven:
    """A parameter that is present must hold a value: `?year_min=` is a 400, not "no filter"."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError("Must not be empty.", code="empty")
        return super().to_python(value)


class WholeNumberField(_PresentMeansGiven, forms.IntegerField):
    pass


class StrictBooleanField(_PresentMeansGiven, forms.Field):
    """true/false (or 1/0, any case); django-filter's own boolean reads anything else as "no filter"."""

    widget = forms.TextInput  # hands over the raw value

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        parsed = {"true": True, "1": True, "false": False, "0": False}.get(value.lower())
        if parsed is None:
            raise forms.ValidationError("Must be true or false.", code="invalid")
        return parsed


class IntegerFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


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
    enriched = StrictBooleanFilter(method="filter_enriched", label="TMDB data found (true/false)")
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
    year_min = IntegerFilter(field_name="year", lookup_expr="gte")
    year_max = IntegerFilter(field_name="year", lookup_expr="lte")
    rated = StrictBooleanFilter(field_name="rating", lookup_expr="isnull", exclude=True)
    rewatched = StrictBooleanFilter(method="filter_rewatched", label="Watched more than once")
    liked = StrictBooleanFilter()
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
