// What Letterboxd Pro shows beside the counts: the highest-rated genres, countries, languages,
// directors and actors, films by release year, the top films, the films released in the year,
// films per week and the lists. Drawn from the analytics answer (stats.js calls render).

import * as Charts from "./charts.js";
import { $, el } from "./dom.js";
import { poster, tile, titleYear, tmdbLink } from "./page.js";

const fmt = Charts.format;
const RANKED = [
  ["genres", "Genres"],
  ["countries", "Countries"],
  ["languages", "Languages"],
  ["directors", "Directors"],
  ["actors", "Actors"],
];
const films = (count) => `${fmt(count)} ${count === 1 ? "film" : "films"}`;
// One star notation on the page: an average with one decimal and a star, "3.6★".
export const averageStars = (value) => `${Number(value).toFixed(1)}★`;

function renderHighestRated(highest, languageName) {
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
    box.append(rows.length ? list : el("p", "muted", "None with enough rated films."));
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
  list.replaceChildren(...top.map((film) => filmItem(film, `${averageStars(film.rating)}${film.viewings > 1 ? ` · seen ${film.viewings} times` : ""}`)));
  if (!top.length) list.append(el("li", "muted", "No rated films here."));
}

function renderReleased(released, year) {
  const box = $("released-box");
  box.hidden = !released;
  if (!released) return;
  $("released-title").textContent = `Released in ${year}`;
  $("released-summary").textContent = released.films
    ? `${films(released.films)} you saw in ${year} came out that year (Letterboxd's year):`
    : `None of the films you saw in ${year} came out that year.`;
  $("list-released").replaceChildren(...released.top.map((film) => filmItem(film, film.rating ? averageStars(film.rating) : "")));
}

function renderLists(lists) {
  $("lists-summary").textContent = lists.count
    ? `${fmt(lists.count)} ${lists.count === 1 ? "list" : "lists"} in your export; the biggest:`
    : "Your export has no lists (lists/*.csv).";
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

export function render(a, languageName) {
  $("pro").hidden = false;
  renderHighestRated(a.highest_rated, languageName);
  // Every release year from the oldest to the newest, gaps as zero: a scale of time, not a list.
  const years = new Map(a.release_years.map((row) => [row.year, row.films]));
  const items = [];
  if (a.release_years.length) {
    const first = a.release_years[0].year, last = a.release_years[a.release_years.length - 1].year;
    for (let year = first; year <= last; year++) items.push({ label: String(year), value: years.get(year) || 0 });
  }
  const ticks = items.filter((item, index) => index === 0 || index === items.length - 1 || Number(item.label) % 10 === 0).map((item) => item.label);
  Charts.columns($("chart-release-years"), items, items.length > 12 ? ticks : undefined);
  renderTopFilms(a.top_films, a.year);
  renderReleased(a.released_in_year, a.year);
  renderLists(a.lists);
  const perWeek = a.films_per_week;
  tile($("rhythm-tiles"), "films per week on average", perWeek.average === null ? "–" : perWeek.average.toFixed(1),
    perWeek.weeks ? `${fmt(perWeek.viewings)} diary entries over ${fmt(perWeek.weeks)} weeks` : "");
}
