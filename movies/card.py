"""The share card: a 1200x630 SVG (or PNG) of a year's (or all time's) statistics; no ORM.

Names and titles are user or TMDB data: every text goes through XML escaping, and nothing
outside the SVG is referenced (no fonts, images or scripts from elsewhere). Its own words keep
to characters every common font has (no star glyph), so the PNG draws them with any font.
"""

from xml.sax.saxutils import escape

WIDTH, HEIGHT = 1200, 630
BACKGROUND, INK, MUTED, ACCENT = "#14181c", "#ffffff", "#9ab", "#00e054"
FONT = "Helvetica, Arial, sans-serif"
LONGEST_NAME = 32
QUOTE = {'"': "&quot;"}
SPREAD_LEFT, SPREAD_BOTTOM, SPREAD_WIDTH, SPREAD_HEIGHT = 700, 560, 440, 200


def _text(x, y, content, *, size, fill=INK, weight="normal", anchor="start"):
    return (
        f'<text x="{x}" y="{y}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}" text-anchor="{anchor}">{escape(str(content))}</text>'
    )


def _short(name):
    return name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 1] + "…"


def _top(entries):
    return _short(entries[0]["name"]) if entries else "—"


def _headline(stats):
    headline = stats["headline"]
    share = headline["new_to_me_share"]
    rating = headline["average_rating"]
    return [
        ("films", f"{headline['films']:,}"),
        ("viewings", f"{headline['viewings']:,}"),
        ("hours", f"{headline['hours']:,.0f}"),
        ("average rating", "—" if rating is None else f"{rating:.2f}"),
        ("new to me", "—" if share is None else f"{share:.0%}"),
    ]


def _rating_spread(distribution):
    most = max((entry["films"] for entry in distribution), default=0) or 1
    step = SPREAD_WIDTH / len(distribution)
    parts = [_text(SPREAD_LEFT, SPREAD_BOTTOM - SPREAD_HEIGHT - 20, "Ratings", size=24, fill=MUTED)]
    for index, entry in enumerate(distribution):
        height = round(SPREAD_HEIGHT * entry["films"] / most, 1)
        x = round(SPREAD_LEFT + index * step + 4, 1)
        parts.append(
            f'<rect x="{x}" y="{SPREAD_BOTTOM - height}" width="{round(step - 8, 1)}" height="{height}" '
            f'fill="{ACCENT}"><title>{entry["rating"]} stars: {entry["films"]}</title></rect>'
        )
    parts.append(_text(SPREAD_LEFT, SPREAD_BOTTOM + 30, "½ star", size=20, fill=MUTED))
    parts.append(
        _text(SPREAD_LEFT + SPREAD_WIDTH, SPREAD_BOTTOM + 30, "5 stars", size=20, fill=MUTED, anchor="end")
    )
    return parts


def share_card_svg(stats):
    """The card for an analytics answer (movies.analytics.session_analytics)."""
    title = "All time" if stats["year"] is None else f"{stats['year']} in film"
    if stats["released"] is not None:
        title += f" · films of {stats['released']}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title, QUOTE)}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/>',
        _text(60, 100, title, size=56, weight="bold"),
    ]
    for index, (label, value) in enumerate(_headline(stats)):
        x = 60 + index * 220
        parts.append(_text(x, 210, value, size=52, weight="bold", fill=ACCENT))
        parts.append(_text(x, 245, label, size=22, fill=MUTED))
    favourites = [
        ("Top genre", _top(stats["genres"])),
        ("Top director", _top(stats["directors"])),
        ("Top actor", _top(stats["actors"])),
    ]
    for index, (label, name) in enumerate(favourites):
        y = 340 + index * 80
        parts.append(_text(60, y, label, size=22, fill=MUTED))
        parts.append(_text(60, y + 36, name, size=32, weight="bold"))
    parts += _rating_spread(stats["rating_distribution"])
    parts.append("</svg>")
    return "\n".join(parts)


class PngUnavailable(Exception):
    """The cairo library is not installed (scripts/setup.sh installs libcairo2)."""


def share_card_png(stats):
    """The card drawn as PNG by CairoSVG, offline (the SVG references nothing outside itself)."""
    try:
        import cairosvg  # loads libcairo2 at import: without it, only the PNG is unavailable
    except OSError as exc:
        raise PngUnavailable(str(exc)) from exc
    return cairosvg.svg2png(bytestring=share_card_svg(stats).encode(), unsafe=False)
