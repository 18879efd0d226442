"""The share card: a 1200x630 SVG (or PNG) of a year's (or all time's) statistics, or a 600x900
portrait of the same for a phone's screen (``layout="portrait"``); no ORM.

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
PORTRAIT_WIDTH, PORTRAIT_HEIGHT = 600, 900
LAYOUTS = ("landscape", "portrait")


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


def _rating_spread(
    distribution, left=SPREAD_LEFT, bottom=SPREAD_BOTTOM, width=SPREAD_WIDTH, tall=SPREAD_HEIGHT
):
    most = max((entry["films"] for entry in distribution), default=0) or 1
    step = width / len(distribution)
    parts = [_text(left, bottom - tall - 20, "Ratings", size=24, fill=MUTED)]
    for index, entry in enumerate(distribution):
        height = round(tall * entry["films"] / most, 1)
        x = round(left + index * step + 4, 1)
        parts.append(
            f'<rect x="{x}" y="{bottom - height}" width="{round(step - 8, 1)}" height="{height}" '
            f'fill="{ACCENT}"><title>{entry["rating"]} stars: {entry["films"]}</title></rect>'
        )
    # The pages' star notation, spelled out: "0.5" as everywhere else, never "½".
    parts.append(_text(left, bottom + 30, "0.5 stars", size=20, fill=MUTED))
    parts.append(_text(left + width, bottom + 30, "5 stars", size=20, fill=MUTED, anchor="end"))
    return parts


def _favourites(stats):
    return [
        ("Top genre", _top(stats["genres"])),
        ("Top director", _top(stats["directors"])),
        ("Top actor", _top(stats["actors"])),
    ]


def _landscape(stats):
    parts = []
    for index, (label, value) in enumerate(_headline(stats)):
        x = 60 + index * 220
        parts.append(_text(x, 210, value, size=52, weight="bold", fill=ACCENT))
        parts.append(_text(x, 245, label, size=22, fill=MUTED))
    for index, (label, name) in enumerate(_favourites(stats)):
        y = 340 + index * 80
        parts.append(_text(60, y, label, size=22, fill=MUTED))
        parts.append(_text(60, y + 36, name, size=32, weight="bold"))
    return parts + _rating_spread(stats["rating_distribution"])


def _portrait(stats):
    """Half as wide, so that a phone shows it twice as large: figures two by two, then favourites."""
    parts = []
    for index, (label, value) in enumerate(_headline(stats)):
        x, y = 40 + (index % 2) * 280, 170 + (index // 2) * 110
        parts.append(_text(x, y, value, size=52, weight="bold", fill=ACCENT))
        parts.append(_text(x, y + 32, label, size=24, fill=MUTED))
    for index, (label, name) in enumerate(_favourites(stats)):
        y = 500 + index * 72
        parts.append(_text(40, y, label, size=22, fill=MUTED))
        parts.append(_text(40, y + 34, name, size=30, weight="bold"))
    return parts + _rating_spread(stats["rating_distribution"], left=40, bottom=840, width=520, tall=90)


def share_card_svg(stats, layout="landscape"):
    """The card for an analytics answer (movies.analytics.session_analytics), 1200x630 or, in
    portrait, 600x900."""
    title = "All time" if stats["year"] is None else f"{stats['year']} in film"
    if stats["released"] is not None:
        title += f" · films of {stats['released']}"
    portrait = layout == "portrait"
    width, height = (PORTRAIT_WIDTH, PORTRAIT_HEIGHT) if portrait else (WIDTH, HEIGHT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title, QUOTE)}">',
        f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>',
        _text(40, 80, title, size=44, weight="bold")
        if portrait
        else _text(60, 100, title, size=56, weight="bold"),
    ]
    parts += _portrait(stats) if portrait else _landscape(stats)
    parts.append("</svg>")
    return "\n".join(parts)


class PngUnavailable(Exception):
    """The cairo library is not installed (scripts/setup.sh installs libcairo2)."""


def share_card_png(stats, layout="landscape"):
    """The card drawn as PNG by CairoSVG, offline (the SVG references nothing outside itself)."""
    try:
        import cairosvg  # loads libcairo2 at import: without it, only the PNG is unavailable
    except OSError as exc:
        raise PngUnavailable(str(exc)) from exc
    return cairosvg.svg2png(bytestring=share_card_svg(stats, layout).encode(), unsafe=False)
