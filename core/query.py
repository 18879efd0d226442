"""Strict request fields for DRF serializers: query parameters that refuse an empty value instead
of ignoring it, and JSON booleans that are booleans.

DRF reads `?year=` from a query string as "not given", so a bad link silently shows all time; here
a parameter that is present must hold a value: `?year=` is a 400 naming `year`, as `?year=abc` is.
"""

from rest_framework import serializers


class _PresentMeansGiven:
    def get_value(self, dictionary):
        if dictionary.get(self.field_name) == "":
            return ""  # the field's own parsing refuses it: "year: A valid integer is required."
        return super().get_value(dictionary)


class QueryIntegerField(_PresentMeansGiven, serializers.IntegerField):
    pass


class QueryFloatField(_PresentMeansGiven, serializers.FloatField):
    pass


class QueryChoiceField(_PresentMeansGiven, serializers.ChoiceField):
    pass


class JSONBooleanField(serializers.BooleanField):
    """true or false as JSON writes them; DRF's own also takes 0, 1, "yes", "off"... and guesses."""

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)
