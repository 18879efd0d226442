"""The analytics answer matches its OpenAPI description field by field; the share card draws it safely."""

import io
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from PIL import Image
from rest_framework import serializers

from movies.api.analytics_serializers import AnalyticsSerializer
from movies.tests.factories import EnrichedMovieFactory, WatchFactory
from movies.tests.two_year_session import two_year_session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def session():
    return two_year_session()


def undescribed(field, data, path="answer"):
    """Paths of the answer whose keys differ from the serializer's fields."""
    if data is None:
        return []
    if isinstance(field, serializers.ListSerializer):
        return [problem for item in data for problem in undescribed(field.child, item, f"{path}[]")]
    if isinstance(field, serializers.Serializer):
        fields = field.fields
        if set(fields) != set(data):
            return [f"{path}: {sorted(set(fields) ^ set(data))}"]
        return [
            problem for name in fields for problem in undescribed(fields[name], data[name], f"{path}.{name}")
        ]
    return []


@pytest.mark.parametrize("query", ["", "?year=2020", "?year=2021&released=2020"])
def test_every_field_of_the_answer_is_described(client, session, query):
    body = client.get(f"/api/session/{session.pk}/analytics{query}").json()

    assert undescribed(AnalyticsSerializer(), body) == []


def test_the_schema_types_the_answer_and_its_query(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    analytics = schema["components"]["schemas"]["Analytics"]["properties"]
    assert analytics["headline"]["$ref"].endswith("/Headline")
    assert schema["components"]["schemas"]["Rhythm"]["properties"]["longest_day_streak"]
    operation = schema["paths"]["/api/session/{session_id}/analytics/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"year", "released"}


def card(client, session, query="?year=2021"):
    response = client.get(f"/api/session/{session.pk}/card.svg{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("image/svg+xml")
    return ElementTree.fromstring(response.content)


def test_the_card_shows_the_years_headline_favourites_and_rating_spread(client, session):
    svg = card(client, session)

    assert (svg.get("width"), svg.get("height")) == ("1200", "630")
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts[0] == "2021 in film"
    assert {"4", "5", "8", "3.33", "40%"} <= set(texts)  # films, viewings, hours, average, new to me
    assert {"Drama", "Ann Dir", "Actor X"} <= set(texts)
    assert len(list(svg.iter(f"{SVG}rect"))) == 1 + 10  # the background, one bar per half star


def test_user_data_on_the_card_is_escaped(client):
    mine = SessionFactory()
    movie = EnrichedMovieFactory(
        session=mine,
        rating=Decimal("4"),
        genres=['</text><script>alert("x")</script>'],
        directors=["Tom & Jerry <Ltd>"],
    )
    WatchFactory(movie=movie, watched_date=date(2024, 5, 1))

    svg = card(client, mine, "?year=2024")

    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Tom & Jerry <Ltd>" in texts
    assert any(text.startswith('</text><script>alert("x")') for text in texts)  # still text
    assert not list(svg.iter(f"{SVG}script"))


def test_a_bad_year_or_unknown_session_answers_json(client, session):
    assert client.get(f"/api/session/{session.pk}/card.svg?year=x").json()["detail"].startswith("year")
    assert client.get("/api/session/00000000-0000-4000-8000-000000000000/card.svg").status_code == 404


def test_the_card_as_png_is_1200_by_630(client, session):
    response = client.get(f"/api/session/{session.pk}/card.png?year=2021")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as picture:
        assert (picture.format, picture.size) == ("PNG", (1200, 630))
        # Drawn, not blank: the background and the green of the figures and bars.
        assert len(picture.convert("RGB").getcolors(maxcolors=100_000)) > 2


def test_the_portrait_card_is_600_by_900_with_the_same_figures(client, session):
    landscape = card(client, session)
    portrait = card(client, session, "?year=2021&layout=portrait")

    assert (portrait.get("width"), portrait.get("height")) == ("600", "900")
    words = [[text.text for text in svg.iter(f"{SVG}text")] for svg in (landscape, portrait)]
    assert sorted(words[0]) == sorted(words[1])  # the same figures and names, laid out for a phone
    # Every text inside the card: nothing drawn past its right edge at its font size (wide glyphs).
    for text in portrait.iter(f"{SVG}text"):
        if text.get("text-anchor") != "end":
            assert int(text.get("x")) + 0.6 * int(text.get("font-size")) * len(text.text) <= 600, text.text


def test_an_unknown_or_empty_layout_is_refused(client, session):
    for query in ("?layout=square", "?layout="):
        response = client.get(f"/api/session/{session.pk}/card.svg{query}")
        assert response.status_code == 400, query
        assert response.json()["detail"].startswith("layout")


def test_the_portrait_png_is_600_by_900(client, session):
    response = client.get(f"/api/session/{session.pk}/card.png?year=2021&layout=portrait")

    assert response.status_code == 200, response.content
    with Image.open(io.BytesIO(response.content)) as picture:
        assert (picture.format, picture.size) == ("PNG", (600, 900))
