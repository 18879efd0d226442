// The watchlist: its films are looked up on TMDB only with budget no upload wants, so this part
// fills in while the page is open. Its figures (hours, genres, decades, countries, what has waited
// longest) and "watch next", ranked by the member's own ratings, from GET …/watchlist.

import * as Charts from "./charts.js";
import { $, el } from "./dom.js";
import { api, getJson, held, poster, showError, tile, titleYear, tmdbLink } from "./page.js";

const fmt = Charts.format;
const POLL_MS = 5000;
const OLDEST_SHOWN = 8;
let timer = null;

const films = (count) => `${fmt(count)} ${count === 1 ? "film" : "films"}`;

function renderProgress(w) {
  const left = w.lookups.pending;
  $("watchlist-progress").textContent = left
    ? `${fmt(w.lookups.done)} of ${films(w.total)} looked up on TMDB so far; the rest follow whenever no upload needs TMDB.`
    : `All ${films(w.total)} looked up on TMDB${w.lookups.not_found ? ` (${fmt(w.lookups.not_found)} not found)` : ""}.`;
}

function renderTiles(w) {
  const list = $("watchlist-tiles");
  list.replaceChildren();
  tile(list, "films on your watchlist", fmt(w.total));
  tile(list, "hours to watch them all", fmt(w.hours), w.runtime_known < w.total ? `from ${films(w.runtime_known)} with a known runtime` : "");
  const oldest = w.entries.find((entry) => entry.days_waiting !== null);
  if (oldest) tile(list, "the longest wait", `${fmt(Math.round(oldest.days_waiting / 365.25 * 10) / 10)} years`, titleYear(oldest));
}

function renderCharts(w) {
  Charts.bars($("chart-watchlist-genres"), w.genres.map((row) => ({ label: row.name, value: row.films })), { empty: "No film looked up yet." });
  Charts.bars($("chart-watchlist-countries"), w.countries.map((row) => ({ label: row.name, value: row.films })), { empty: "No film looked up yet." });
  Charts.columns($("chart-watchlist-decades"), w.decades.map((row) => ({ label: `${row.decade}s`, value: row.films })));
}

function renderOldest(entries) {
  $("list-watchlist-oldest").replaceChildren(...entries.slice(0, OLDEST_SHOWN).map((entry) => {
    const item = el("li");
    const link = el("a", "", titleYear(entry));
    link.href = entry.letterboxd_uri;
    link.rel = "noopener";
    item.append(link, el("span", "muted", entry.added_on ? ` · added ${entry.added_on}` : " · no date"));
    return item;
  }));
}

function suggestion(film) {
  const item = el("li", "poster-item suggestion");
  const text = el("div");
  const facts = [];
  if (film.film.vote_average) facts.push(`TMDB ${film.film.vote_average.toFixed(1)}`);
  if (film.film.runtime) facts.push(`${film.film.runtime} min`);
  if (film.film.directors.length) facts.push(film.film.directors.join(", "));
  text.append(tmdbLink(film.film.tmdb_id, titleYear(film)), el("span", "muted", ` · ${facts.join(" · ")}`));
  const reasons = el("ul", "reasons");
  for (const reason of film.reasons) reasons.append(el("li", "", reason));
  text.append(reasons);
  item.append(poster({ ...film.film, title: film.title }), text);
  return item;
}

function renderWatchNext(next) {
  $("watch-next-basis").textContent = next.rated_films
    ? `Fitted to your ratings of ${films(next.rated_films)}: the directors, actors, genres and decades you rate above your average, and TMDB's rating.`
    : "You have rated no film yet: ranked by TMDB's rating.";
  const list = $("list-watch-next");
  list.replaceChildren(...next.films.map(suggestion));
  if (!next.films.length) list.append(el("li", "muted", next.max_runtime ? "No film looked up yet fits that runtime." : "No film looked up yet."));
}

export async function load() {
  clearTimeout(timer);
  const runtime = $("watch-next-runtime").value;
  try {
    const w = await getJson(`${api}/watchlist?page_size=${OLDEST_SHOWN}${runtime ? `&max_runtime=${runtime}` : ""}`);
    const section = $("watchlist");
    section.hidden = !w.total;
    if (!w.total) return;
    renderProgress(w);
    renderTiles(w);
    renderCharts(w);
    renderOldest(w.entries);
    renderWatchNext(w.watch_next);
    section.dataset.pending = String(w.lookups.pending);
    if (w.lookups.pending) timer = setTimeout(load, POLL_MS);
  } catch (error) {
    if (held(error)) return;
    showError(error);
    timer = setTimeout(load, POLL_MS * 4);
  }
}

$("watch-next-runtime").addEventListener("change", load);
