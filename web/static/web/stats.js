// The statistics: every section of the analytics answer, drawn with charts.js. The answer is the one
// source; this file only lays it out.

import * as Charts from "./charts.js";
import { $, el } from "./dom.js";
import { loadCalendar } from "./calendar.js";
import { stars, tile, titleYear, tmdbLink } from "./page.js";
import * as Pro from "./pro.js";

const fmt = Charts.format;

const PEOPLE_SHOWN = 12;
let languageNames = null;
try {
  languageNames = new Intl.DisplayNames(["en"], { type: "language" });
} catch {
  languageNames = null;
}

const given = (value) => value !== null && value !== undefined;
const percent = (share) => (given(share) ? `${Math.round(share * 100)}%` : "–");
const plural = (count, one, many) => `${fmt(count)} ${count === 1 ? one : many || `${one}s`}`;

function named(rows) {
  return rows.map((row) => ({
    label: row.name, value: row.films, note: given(row.average_rating) ? stars(row.average_rating, 1) : "",
  }));
}

function languageName(row) {
  const code = row.code || row.name;
  if (row.language && row.language.toLowerCase() !== code.toLowerCase()) return row.language;
  try {
    return (languageNames && languageNames.of(code)) || code;
  } catch {
    return code;
  }
}

// "+12 vs 2023": this year's figure against the year before, when a year is chosen.
function changeNote(change, key, year, show) {
  const row = change && change[key];
  if (!row || !given(row.difference)) return "";
  const sign = row.difference > 0 ? "+" : row.difference < 0 ? "−" : "±";
  return `${sign}${show(Math.abs(row.difference))} vs ${year - 1}`;
}

// A tile's notes: how it is counted, then its change; the empty ones left out.
const notes = (...parts) => parts.filter(Boolean).join(" · ");

// The rules a member could read differently, said beside the figures (README, "How the figures are counted").
function countingRules(a, year) {
  const h = a.headline;
  const rules = [
    "Films: the films you marked watched, rated or logged, as your Letterboxd profile counts them (watched.csv)."
      + (a.coverage.liked_only_films ? ` ${plural(a.coverage.liked_only_films, "film")} only liked, never marked watched, ${a.coverage.liked_only_films === 1 ? "is" : "are"} not counted.` : ""),
    year
      ? `Viewings: your diary entries dated ${year}.`
      : "Viewings: your diary entries."
        + (h.watched_without_diary ? ` ${plural(h.watched_without_diary, "film")} marked watched without a diary entry ${h.watched_without_diary === 1 ? "is" : "are"} counted apart (in hours, once each).` : ""),
    "New to me and rewatches split the viewings: a rewatch is flagged so on Letterboxd, or follows an earlier diary entry of the film.",
    year
      ? `Average rating: of the ratings you gave on your ${year} diary entries (an entry without one counts with the film's rating now).`
      : "Average rating: of each film's rating now (ratings.csv), as on your profile.",
    year
      ? `Hours: TMDB's runtime of the film, for each viewing dated ${year}.`
      : "Hours: TMDB's runtime of the film, for each viewing, and once for each film marked watched without a diary entry.",
    "Liked, ratings spread, genres, people, countries and decades: the films in view, each once, with its rating now.",
    year
      ? `Rhythm: diary entries by Monday-started week, from the week holding 1 January ${year} to the one holding 31 December (or this week).`
      : "Rhythm: diary entries by Monday-started week, from your first dated diary entry to your last; films per week average the days between them.",
  ];
  const list = $("counting-rules");
  list.replaceChildren(...rules.map((rule) => el("li", "", rule)));
}

function renderHeadline(a, year, running) {
  const h = a.headline;
  const list = $("totals");
  list.replaceChildren();
  const count = (value) => fmt(Math.round(value));
  const points = (v) => `${Math.round(v * 100)} pts`;
  tile(list, "films", fmt(h.films), notes(year ? `seen in ${year}` : "marked watched", changeNote(a.change, "films", year, count)));
  tile(list, "viewings", fmt(h.viewings), notes("diary entries", changeNote(a.change, "viewings", year, count),
    !year && h.watched_without_diary ? `+ ${plural(h.watched_without_diary, "film")} without a diary entry` : ""));
  // A count: its change is a count too; its share of the viewings is a percentage, whose change is in points.
  const share = given(h.new_to_me_share) ? `${percent(h.new_to_me_share)} of viewings` : "";
  const shareChange = changeNote(a.change, "new_to_me_share", year, points);
  tile(list, "new to me", fmt(h.new_to_me), notes(changeNote(a.change, "new_to_me", year, count),
    share && shareChange ? `${share} (${shareChange})` : share));
  tile(list, "rewatches", fmt(h.rewatches), changeNote(a.change, "rewatches", year, count));
  // Hours add up TMDB runtimes: while films are still looked up, the figure is only a start.
  const hoursNote = running ? "from TMDB, so far" : notes("TMDB runtimes", changeNote(a.change, "hours", year, count));
  tile(list, "hours", fmt(Math.round(h.hours || 0)), hoursNote);
  tile(list, "average rating", stars(h.average_rating, 2), notes(year ? `given in ${year}` : "of your ratings now",
    changeNote(a.change, "average_rating", year, (v) => stars(v, 2))));
  tile(list, "rated", fmt(h.rated_films));
  tile(list, "liked", fmt(h.likes));
  tile(list, "reviews", fmt(h.reviews));
  countingRules(a, year);

  const c = a.coverage;
  const covered = [];
  if (c.tv_entries) {
    covered.push(`${plural(c.tv_entries, "TV entry", "TV entries")}, not counted as ${c.tv_entries === 1 ? "a film" : "films"}`);
  }
  if (c.liked_only_films) covered.push(`${plural(c.liked_only_films, "film")} only liked, not counted as watched`);
  if (c.films_without_tmdb) covered.push(`${plural(c.films_without_tmdb, "film")} without TMDB data${running ? " so far" : ""}`);
  if (c.undated_films && !year) covered.push(`${plural(c.undated_films, "film")} only marked watched, in all-time figures only`);
  $("coverage").textContent = covered.join(" · ");
}

function filmList(list, films, describe) {
  list.replaceChildren();
  for (const film of films) {
    const item = el("li");
    item.append(tmdbLink(film.tmdb_id, titleYear(film)));
    const note = describe(film);
    if (note) item.append(` · ${note}`);
    list.append(item);
  }
}

function renderMilestones(m) {
  const rows = [];
  if (m.first) rows.push(["First", m.first]);
  for (const row of m.numbered) rows.push([`${fmt(row.number)}th`, row]);
  if (m.last) rows.push(["Latest", m.last]);
  const list = $("list-milestones");
  list.replaceChildren(...rows.map(([label, row]) => {
    const item = el("li");
    item.append(el("strong", "", `${label}: `), `${titleYear(row)} · ${row.watched_date}`);
    return item;
  }));
  Charts.emptyIf(list.closest("section"), rows.length ? "" : "No dated diary entries.");
}

const HIGHS = [
  ["highest_rated", "Highest rated", (f) => `you: ${stars(f.rating)}`],
  ["lowest_rated", "Lowest rated", (f) => `you: ${stars(f.rating)}`],
  ["most_popular", "Most TMDB votes", (f) => `${fmt(f.vote_count)} votes`],
  ["most_obscure", "Fewest TMDB votes", (f) => `${fmt(f.vote_count)} votes`],
  ["longest", "Longest", (f) => `${f.runtime} min`],
  ["shortest", "Shortest", (f) => `${f.runtime} min`],
  ["newest", "Newest", (f) => f.release_date || String(f.year)],
  ["oldest", "Oldest", (f) => f.release_date || String(f.year)],
  ["biggest_disagreement", "Most at odds with TMDB", (f) => `you ${stars(f.rating)}, TMDB ${Number(f.vote_average).toFixed(1)}/10`],
];

function renderHighs(highs, why) {
  const list = $("list-highs");
  list.replaceChildren();
  for (const [key, label, describe] of HIGHS) {
    const film = highs[key];
    if (!film) continue;
    const item = el("li");
    item.append(el("strong", "", `${label}: `), `${titleYear(film)} · ${describe(film)}`);
    list.append(item);
  }
  Charts.emptyIf(list.closest("section"), list.children.length ? "" : why);
}

function renderRhythm(r, year) {
  const list = $("rhythm-tiles");
  list.replaceChildren();
  tile(list, "busiest week", r.busiest_week ? plural(r.busiest_week.viewings, "film") : "–", r.busiest_week ? `week of ${r.busiest_week.week_start}` : "");
  tile(list, "quietest week with a film", r.quietest_week ? plural(r.quietest_week.viewings, "film") : "–", r.quietest_week ? `week of ${r.quietest_week.week_start}` : "");
  tile(list, "weeks without a film", fmt(r.weeks_without_film), year ? `of ${year}'s weeks` : "between your first and last diary entry");
  tile(list, "busiest weekday", r.busiest_weekday ? r.busiest_weekday.weekday : "–", r.busiest_weekday ? plural(r.busiest_weekday.viewings, "viewing") : "");
  tile(list, "busiest day", r.busiest_day ? plural(r.busiest_day.viewings, "film") : "–", r.busiest_day ? r.busiest_day.date : "");
  const days = r.longest_day_streak;
  tile(list, "longest streak of days", days ? plural(days.days, "day") : "–", days ? `${days.first} → ${days.last}` : "");
  const weeks = r.longest_week_streak;
  tile(list, "longest streak of weeks", weeks ? plural(weeks.weeks, "week") : "–", weeks ? `from ${weeks.first}` : "");
  // Labelled at each year's first week (each month's, within a year), every few years when many.
  const years = new Set(r.per_week.map((row) => row.week_start.slice(0, 4))).size;
  const every = years > 24 ? 5 : years > 12 ? 2 : 1;
  // The first week starts a period only if it starts it (not a week of December before the first January).
  let previous = r.per_week.length && r.per_week[0].week_start.slice(5, 7) !== "01" ? r.per_week[0].week_start.slice(0, 4) : "";
  if (years <= 2) previous = "";
  const items = r.per_week.map((row) => {
    const [year, month] = row.week_start.split("-").map(Number);
    const period = years > 2 ? String(year) : `${year}-${month}`;
    const starts = period !== previous;
    previous = period;
    const tick = !starts ? "" : years > 2 ? (year % every ? "" : String(year)) : Charts.monthName(month, year);
    return { label: `week of ${row.week_start}`, value: row.viewings, tick };
  });
  Charts.columns($("chart-per-week"), items, { empty: "No dated diary entries." });
}

// Folded away when TMDB knows no director's gender: "0 of the 0 films" tells nothing.
function renderWomen(women, why) {
  const known = women.films - women.unknown;
  $("women-directed").textContent = known
    ? `${percent(women.share_by_women)} directed by women: ${fmt(women.by_women)} of the ${plural(known, "film")} whose directors' gender TMDB knows; ${fmt(women.unknown)} unknown, counted apart.`
    : "";
  const unknown = women.films ? `TMDB knows the gender of none of the directors of ${plural(women.films, "film")}` : why;
  Charts.emptyIf($("women-directed").closest("section"), known ? "" : unknown);
}

function renderLag(lag, why) {
  const list = $("lag-tiles");
  Charts.emptyIf(list.closest("section"), given(lag.median_days) ? "" : why);
  list.replaceChildren();
  const days = (value) => (given(value) ? plural(Math.round(value), "day") : "–");
  tile(list, "median, release to first viewing", days(lag.median_days));
  tile(list, "average", days(lag.average_days));
  tile(list, "seen within a month of release", percent(lag.within_a_month_share), `${plural(lag.within_a_month, "film")}`);
}

function renderWatchlist(watchlist) {
  $("watchlist-size").textContent = watchlist.size ? `${plural(watchlist.size, "film")} on your watchlist; waiting longest:` : "";
  Charts.emptyIf($("watchlist-size").closest("section"), watchlist.size ? "" : "Your export has no watchlist (watchlist.csv).");
  const list = $("list-watchlist");
  list.replaceChildren(...watchlist.oldest.map((entry) => {
    const item = el("li");
    const link = el("a", "", titleYear(entry));
    link.href = entry.letterboxd_uri;
    link.rel = "noopener";
    item.append(link, entry.added_on ? ` · added ${entry.added_on}` : "");
    return item;
  }));
}

// Each TMDB-based figure says on how many films it rests: <span data-based-on="genres">.
function renderBases(basedOn, running) {
  for (const span of document.querySelectorAll("[data-based-on]")) {
    const films = basedOn[span.dataset.basedOn];
    span.textContent = given(films) ? `based on ${plural(films, "film")}${running ? " so far" : ""}` : "";
  }
}

export function render(a, running) {
  $("stats").hidden = false;
  const year = a.year;
  renderHeadline(a, year, running);
  Charts.timeline($("chart-watches-by-month"), a.watches_by_month);
  const undated = "No dated diary entries.";
  Charts.columns($("chart-weekday"), a.watches_by_weekday.map((row) => ({ label: row.weekday.slice(0, 3), value: row.viewings })),
    { empty: undated });
  $("chart-watches-by-year").hidden = Boolean(year); // one column says nothing
  Charts.columns($("chart-watches-by-year"), a.watches_by_year.map((row) => ({ label: String(row.year), value: row.viewings })),
    { empty: undated });
  Charts.columns($("chart-ratings"), a.rating_distribution.map((row) => ({ label: stars(row.rating), value: row.films })),
    { empty: "No rated films." });
  Charts.columns($("chart-decades"), a.decades.map((row) => ({ label: `${row.decade}s`, value: row.films })),
    { empty: "No film has a release year." });
  renderMilestones(a.milestones);
  renderRhythm(a.rhythm, year);
  const tags = a.tags.map((row) => ({ label: row.tag, value: row.viewings }));
  Charts.bars($("chart-tags"), tags, { empty: "No tags in your diary." });

  // TMDB-based sections fill in as enrichment runs: each says on how many films it rests.
  const totals = a.totals;
  $("tmdb-basis").textContent = `based on ${fmt(totals.enriched_films)} of ${fmt(totals.films)} films${running ? " so far" : ""}`;
  renderBases(a.based_on, running);
  const tmdb = $("tmdb-totals");
  tmdb.replaceChildren();
  tile(tmdb, "hours watched", fmt(Math.round(totals.hours_watched)));
  tile(tmdb, "median runtime", a.runtime.median ? `${Math.round(a.runtime.median)} min` : "–");
  const versus = a.rating_vs_tmdb;
  tile(tmdb, "your rating vs TMDB (out of 10)", versus.films
    ? `${Number(versus.average_rating_out_of_10).toFixed(1)} vs ${Number(versus.average_tmdb_vote).toFixed(1)}` : "–");
  const empty = running ? "Filling in as films are looked up…" : "No TMDB data for these films.";
  const limit = PEOPLE_SHOWN;
  Charts.bars($("chart-genres"), a.genres.map((row) => ({ label: row.name, value: row.films })), { empty });
  Charts.bars($("chart-directors"), named(a.directors), { limit, empty });
  Charts.bars($("chart-actors"), named(a.actors), { limit, empty });
  Charts.bars($("chart-writers"), named(a.people.writers), { limit, empty });
  Charts.bars($("chart-cinematographers"), named(a.people.cinematographers), { limit, empty });
  Charts.bars($("chart-composers"), named(a.people.composers), { limit, empty });
  Charts.bars($("chart-countries"), named(a.countries), { empty });
  const languages = named(a.languages).map((item, index) => ({ ...item, label: languageName(a.languages[index]) }));
  Charts.bars($("chart-languages"), languages, { empty });
  renderWomen(a.people.directed_by_women, empty);
  renderLag(a.release_lag, empty);
  renderHighs(a.highs_and_lows, empty);
  filmList($("list-most-popular"), a.most_popular, (film) => (film.rating ? `you: ${stars(film.rating)}` : ""));
  filmList($("list-least-popular"), a.least_popular, (film) => (film.rating ? `you: ${stars(film.rating)}` : ""));
  Charts.emptyIf($("list-most-popular").closest("section"), a.most_popular.length ? "" : empty);
  renderWatchlist(a.watchlist);
  Pro.render(a, languageName, empty);
  Charts.fold($("stats"));
  Charts.fold($("pro"));
  loadCalendar(year);
}
