// The film list: search, filters, pages; each film opens to its viewings, its match evidence and links.

import { format as fmt } from "./charts.js";
import { $, el } from "./dom.js";
import { api, getJson, poster, reviewBelow, showError, stars, tmdbLink, viewer } from "./page.js";

const LOW_CONFIDENCE = reviewBelow; // the API's review threshold (GET …/matches), from the server
const filters = $("film-filters");
let page = 1;

export function fillFilterOptions(a) {
  fillSelect(filters.elements.genre, a.genres.map((row) => row.name));
  fillSelect(filters.elements.director, a.directors.map((row) => row.name));
  fillSelect(filters.elements.decade, a.decades.map((row) => String(row.decade)), (decade) => `${decade}s`);
}

function fillSelect(select, values, label) {
  const current = select.value;
  const wanted = ["", ...values];
  if (Array.from(select.options).map((option) => option.value).join("\n") === wanted.join("\n")) return;
  select.replaceChildren(new Option("Any", ""), ...values.map((value) => new Option(label ? label(value) : value, value)));
  select.value = wanted.includes(current) ? current : "";
}

function filmQuery() {
  const params = new URLSearchParams({ page, per_page: 25 });
  for (const [name, value] of new FormData(filters).entries()) {
    if (!value) continue;
    if (name === "decade") {
      params.set("year_min", value);
      params.set("year_max", Number(value) + 9);
    } else {
      params.set(name, value);
    }
  }
  return params;
}

let filmRequest = 0;
export async function load() {
  const request = ++filmRequest;
  let answer;
  try {
    answer = await getJson(`${api}/movies?${filmQuery()}`);
  } catch (error) {
    showError(error);
    return;
  }
  if (request !== filmRequest) return; // a newer search has been sent
  // Films drawn anew (after a correction, say) stay open if they were.
  const list = $("film-list");
  const open = new Set(Array.from(list.querySelectorAll("details[open]"), (details) => details.dataset.movie));
  list.replaceChildren(...answer.movies.map(filmItem));
  for (const details of list.querySelectorAll("details")) details.open = open.has(details.dataset.movie);
  $("film-count").textContent = answer.total === 1 ? "1 film" : `${fmt(answer.total)} films`;
  $("page-info").textContent = answer.pages ? `Page ${answer.page} of ${answer.pages}` : "";
  $("page-prev").disabled = answer.page <= 1;
  $("page-next").disabled = answer.page >= answer.pages;
}

// What is worth knowing about how the film was matched, as short badges.
function badges(film) {
  const names = [];
  if (film.enrichment_status === "tv") names.push(["tv", "TV"]);
  else if (film.enrichment_status !== "enriched") names.push([film.enrichment_status, film.enrichment_status.replace("_", " ")]);
  else if (film.match_confidence !== null && film.match_confidence !== undefined && film.match_confidence < LOW_CONFIDENCE) {
    names.push(["low", "low confidence"]);
  }
  if (film.is_demo) names.push(["demo", "demo data"]);
  return names.map(([kind, text]) => el("span", `badge ${kind}`, text));
}

function line(parent, label, value) {
  if (!value || (Array.isArray(value) && !value.length)) return;
  const row = el("p");
  row.append(el("strong", "", `${label}: `), Array.isArray(value) ? value.join(", ") : String(value));
  parent.append(row);
}

function filmItem(film) {
  const item = el("li");
  const details = el("details");
  details.dataset.movie = film.id;
  const summary = el("summary");
  const bits = [film.year, film.rating ? stars(film.rating) : null, film.viewings.length > 1 ? `${film.viewings.length} viewings` : null];
  const words = el("span", "film-words");
  words.append(el("span", "film-title", film.title), el("span", "film-meta", bits.filter(Boolean).join(" · ")));
  summary.append(poster(film), words, ...badges(film));
  details.append(summary);

  const body = el("div", "film-body");
  line(body, "Why not found", film.enrichment_status === "not_found" ? film.match_reason : null);
  if (film.tmdb_tv_id) {
    const row = el("p");
    row.append(el("strong", "", "On TMDB as TV: "), tmdbLink(film.tmdb_tv_id, "the series", "tv"), ", not counted as a film");
    body.append(row);
  }
  if (film.match_confidence !== null && film.match_confidence !== undefined && film.match_confidence < LOW_CONFIDENCE) {
    const row = el("p");
    row.append(el("strong", "", "Match: "), `${Math.round(film.match_confidence * 100)}% sure (${film.match_method.replace("_", " ")})`);
    if (!viewer) { // only the owner checks matches
      const check = el("a", "", "check matches");
      check.href = "#matches";
      row.append(": ", check);
    }
    body.append(row);
  }
  line(body, "Directed by", film.directors);
  line(body, "With", film.cast);
  line(body, "Genres", film.genres);
  line(body, "Runtime", film.runtime ? `${film.runtime} min` : null);
  line(body, "Country", film.production_countries.length ? film.production_countries : film.country);
  line(body, "TMDB rating", film.vote_average ? `${Number(film.vote_average).toFixed(1)} / 10` : null);
  line(body, "Tags", film.tags);
  const viewings = el("ul", "viewings");
  for (const viewing of film.viewings) {
    const parts = [viewing.watched_date || "undated", viewing.rating ? stars(viewing.rating) : null, viewing.rewatch ? "rewatch" : null];
    const row = el("li", "", parts.filter(Boolean).join(" · "));
    if (viewing.review) row.append(el("blockquote", "", viewing.review.replace(/<[^>]*>/g, "")));
    viewings.append(row);
  }
  if (film.viewings.length) {
    const heading = el("p");
    heading.append(el("strong", "", "Viewings"));
    body.append(heading, viewings);
  } else if (film.watched_date) {
    line(body, "Marked watched", film.watched_date);
  }
  const links = el("p", "film-links");
  if (film.tmdb_id) links.append(tmdbLink(film.tmdb_id, "On TMDB"), " ");
  if (film.letterboxd_uri) {
    const letterboxd = el("a", "", "On Letterboxd");
    letterboxd.href = film.letterboxd_uri;
    letterboxd.rel = "noopener";
    links.append(letterboxd);
  }
  body.append(links);
  details.append(body);
  item.append(details);
  return item;
}

let typing = null;
filters.addEventListener("input", (event) => {
  page = 1;
  clearTimeout(typing);
  typing = setTimeout(load, event.target.type === "search" ? 250 : 0);
});
filters.addEventListener("submit", (event) => {
  event.preventDefault();
  page = 1;
  load();
});
$("page-prev").addEventListener("click", () => {
  page = Math.max(1, page - 1);
  load();
});
$("page-next").addEventListener("click", () => {
  page += 1;
  load();
});
