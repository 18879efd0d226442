"""When the viewings in scope happened: per year, month, weekday and week, busiest and quietest
times, and the longest streaks of days and of weeks with a film. Dated viewings only."""

from movies.analytics.scope import one, rows

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def watches_by_date(scope):
    """Viewings per year, per month and per weekday."""
    found = rows(
        scope,
        """
        SELECT year, month, weekday, count(*) AS viewings
        FROM (
            SELECT extract(year FROM watched_date)::int AS year,
                   to_char(watched_date, 'YYYY-MM') AS month,
                   extract(isodow FROM watched_date)::int AS weekday
            FROM viewings WHERE watched_date IS NOT NULL
        ) dated
        GROUP BY GROUPING SETS ((year), (month), (weekday))
        """,
    )
    by_weekday = {row["weekday"]: row["viewings"] for row in found if row["weekday"] is not None}
    return {
        "watches_by_year": sorted(
            ({"year": row["year"], "viewings": row["viewings"]} for row in found if row["year"] is not None),
            key=lambda entry: entry["year"],
        ),
        "watches_by_month": sorted(
            (
                {"month": row["month"], "viewings": row["viewings"]}
                for row in found
                if row["month"] is not None
            ),
            key=lambda entry: entry["month"],
        ),
        "watches_by_weekday": [
            {"weekday": name, "viewings": by_weekday.get(number, 0)}
            for number, name in enumerate(WEEKDAYS, start=1)
        ],
    }


def rhythm(scope):
    """Weeks start on Monday. A year's weeks run from the one holding 1 January to the one holding
    31 December (or today, for the year under way); all time runs from the first viewing to the last."""
    if scope.year is not None:
        span = "SELECT %(start)s::date AS low, least(%(end)s::date, current_date) AS high"
    else:
        span = "SELECT min(day) AS low, max(day) AS high FROM days"
    ctes = [
        """days AS (
            SELECT watched_date AS day, count(*) AS viewings FROM viewings
            WHERE watched_date IS NOT NULL GROUP BY watched_date
        )""",
        f"""weeks AS (
            SELECT week::date AS week, coalesce(sum(days.viewings), 0)::int AS viewings
            FROM ({span}) span
            CROSS JOIN generate_series(
                date_trunc('week', span.low), date_trunc('week', span.high), '1 week'
            ) week
            LEFT JOIN days ON date_trunc('week', days.day) = week
            GROUP BY week
        )""",
        """day_runs AS (
            SELECT count(*) AS length, min(day) AS first, max(day) AS last
            FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS run FROM days) numbered
            GROUP BY run
        )""",
        """week_runs AS (
            SELECT count(*) AS length, min(week) AS first, max(week) AS last
            FROM (
                SELECT week, week - 7 * (row_number() OVER (ORDER BY week))::int AS run
                FROM weeks WHERE viewings > 0
            ) numbered
            GROUP BY run
        )""",
    ]
    row = one(
        scope,
        """
        SELECT
            (SELECT coalesce(
                json_agg(json_build_object('week_start', week, 'viewings', viewings) ORDER BY week), '[]'
             ) FROM weeks) AS per_week,
            (SELECT json_build_object('week_start', week, 'viewings', viewings) FROM weeks
             WHERE viewings > 0 ORDER BY viewings DESC, week LIMIT 1) AS busiest_week,
            (SELECT json_build_object('week_start', week, 'viewings', viewings) FROM weeks
             WHERE viewings > 0 ORDER BY viewings, week LIMIT 1) AS quietest_week,
            (SELECT count(*) FROM weeks WHERE viewings = 0) AS weeks_without_film,
            (SELECT json_build_object('weekday', weekday, 'viewings', viewings) FROM (
                SELECT extract(isodow FROM day)::int AS weekday, sum(viewings)::int AS viewings
                FROM days GROUP BY 1
             ) weekdays ORDER BY viewings DESC, weekday LIMIT 1) AS busiest_weekday,
            (SELECT json_build_object('date', day, 'viewings', viewings) FROM days
             ORDER BY viewings DESC, day LIMIT 1) AS busiest_day,
            (SELECT json_build_object('days', length, 'first', first, 'last', last) FROM day_runs
             ORDER BY length DESC, first LIMIT 1) AS longest_day_streak,
            (SELECT json_build_object('weeks', length, 'first', first, 'last', last) FROM week_runs
             ORDER BY length DESC, first LIMIT 1) AS longest_week_streak
        """,
        ctes=ctes,
    )
    if row["busiest_weekday"]:
        row["busiest_weekday"]["weekday"] = WEEKDAYS[row["busiest_weekday"]["weekday"] - 1]
    return row
