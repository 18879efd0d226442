// What Letterboxd Pro shows beside the counts: the highest-rated genres, countries, languages,
// directors and actors, films by release year, the top films, the films released in the year,
// films per week and the lists. Drawn from the analytics answer (stats.js calls render).

import * as Charts from "./charts.js";
import { $, el } from "./dom.js";
import { poster, stars, tile, titleYear, tmdbLink } from "./page.js";

const fmt = Charts.format;
const RANKED = [
  ["genres", "Genres"],
  ["countries", "Countries"],
  ["languages", "Languages"],
  ["directors", "Directors"],
  ["actors", "Actors"],
];
const films = (count) => `${fmt(count)} ${count === 1 ? "film" : "films"}`;
// An average with one decimal, in the pages' one star notation ("3.6★").
const averageStars = (value) => stars(value, 1);

function renderHighestRated(highest, languageName, why) {
  const minimum = highest.minimum_rated_films;
  $("highest-minimum").textContent = `Ranked by your average rating of each one's films (your rating now); a name needs at least `
    + `${minimum.genres} rated films (genres, countries, languages) or ${minimum.directors} (directors, actors). Letterboxd does not publish its own minimums.`;
  const grid = $("highest-rated");
  grid.replaceChildren(...RANKED.map(([key, label]) => {
    const box = el("section", "chart lists");
    box.append(el("h4", "", label));
    const rows = highest[key];
    const list = el("ol", "plain ranked");
    for (const row of rows) {
      const name = key === "languages" ? languageName({ code: row.name, language: row.language }) : row.name;
      list.append(el("li", "", `${name} · ${averageStars(row.average_rating)} · ${films(row.films)}`));
    }
    box.append(list);
    const few = key === "directors" || key === "actors" ? minimum.directors : minimum.genres;
    Charts.emptyIf(box, rows.length ? "" : why || `None with ${few} rated films or more.`);
    return box;
  }));
}

function filmItem(film, note) {
  const item = el("li", "poster-item");
  item.append(poster(film), tmdbLink(film.tmdb_id, titleYear(film)));
  if (note) item.append(el("span", "muted", ` · ${note}`));
  return item;
}

function renderTopFilms(top, year) {
  $("top-films-title").textContent = year ? `Your top films of ${year}` : "Your top films";
  const list = $("list-top-films");
  list.replaceChildren(...top.map((film) => filmItem(film, `${stars(film.rating)}${film.viewings > 1 ? ` · seen ${film.viewings} times` : ""}`)));
  Charts.emptyIf(list.closest("section"), top.length ? "" : year ? `No film seen in ${year} is rated.` : "No rated films.");
}

function renderReleased(released, year) {
  const box = $("released-box");
  box.hidden = !released;
  if (!released) return;
  $("released-title").textContent = `Released in ${year}`;
  $("released-summary").textContent = released.films
    ? `${films(released.films)} you saw in ${year} came out that year (Letterboxd's year):`
    : "";
  Charts.emptyIf(box, released.films ? "" : `None of the films you saw in ${year} came out that year.`);
  $("list-released").replaceChildren(...released.top.map((film) => filmItem(film, film.rating ? stars(film.rating) : "")));
}

function renderLists(lists) {
  $("lists-summary").textContent = lists.count ? `${fmt(lists.count)} ${lists.count === 1 ? "list" : "lists"} in your export; the biggest:` : "";
  Charts.emptyIf($("lists-summary").closest("section"), lists.count ? "" : "Your export has no lists (lists/*.csv).");
  $("list-lists").replaceChildren(...lists.biggest.map((entry) => {
    const item = el("li");
    if (entry.url) {
      const link = el("a", "", entry.name);
      link.href = entry.url;
      link.rel = "noopener";
      item.append(link);
    } else {
      item.append(entry.name);
    }
    item.append(` · ${films(entry.films)}`);
    return item;
  }));
  $("most-listed-box").hidden = !lists.most_listed.length;
  $("list-most-listed").replaceChildren(...lists.most_listed.map((film) => el("li", "", `${titleYear(film)} · on ${fmt(film.lists)} lists${film.movie_id ? "" : " · not watched"}`)));
}

// `why`: what an empty TMDB-based section says (still looked up, or no TMDB data).
export function render(a, languageName, why) {
  $("pro").hidden = false;
  renderHighestRated(a.highest_rated, languageName, a.totals.enriched_films ? "" : why);
  // Every release year from the oldest to the newest, gaps as zero: a scale of time, not a list.
  const years = new Map(a.release_years.map((row) => [row.year, row.films]));
  const items = [];
  if (a.release_years.length) {
    const first = a.release_years[0].year, last = a.release_years[a.release_years.length - 1].year;
    // Labelled at each decade (each fifth year on a short scale, every other decade on a long one).
    const every = last - first > 80 ? 20 : last - first > 12 ? 10 : 5;
    for (let year = first; year <= last; year++) {
      items.push({ label: String(year), value: years.get(year) || 0, tick: year % every ? "" : String(year) });
    }
    if (!items.some((item) => item.tick)) items[0].tick = items[0].label;
  }
  Charts.columns($("chart-release-years"), items, { empty: "No film has a release year." });
  renderTopFilms(a.top_films, a.year);
  renderReleased(a.released_in_year, a.year);
  renderLists(a.lists);
  const perWeek = a.films_per_week;
  tile($("rhythm-tiles"), "films per week on average", perWeek.average === null ? "–" : perWeek.average.toFixed(1),
    perWeek.weeks ? `${fmt(perWeek.viewings)} diary entries over ${fmt(perWeek.weeks)} weeks` : "");
}
