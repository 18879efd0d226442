// "Check matches": the films whose TMDB match is worth a look (GET …/matches), each with its
// candidates; a choice is sent as PUT …/movies/{id}/match and the page refreshes its figures.

import { format as fmt } from "./charts.js";
import { $, el } from "./dom.js";
import { api, getJson, putJson, Refused, titleYear, tmdbLink } from "./page.js";

const SHOWN_AT_FIRST = 20;
const REASONS = {
  low_confidence: "unsure match",
  not_found: "not found on TMDB",
  tv: "TMDB knows it as TV",
  duplicate: "same TMDB film as another entry",
  disputed: "other sessions corrected it differently",
};
let showAll = false;
let rows = [];

export async function load() {
  rows = await getJson(`${api}/matches`);
  render();
}

function render() {
  const section = $("matches");
  section.hidden = false;
  $("matches-count").textContent = rows.length
    ? `${rows.length === 1 ? "1 film" : `${fmt(rows.length)} films`} to check`
    : "Nothing to check: every film was matched with confidence.";
  const shown = showAll ? rows : rows.slice(0, SHOWN_AT_FIRST);
  $("matches-list").replaceChildren(...shown.map(item));
  const more = $("matches-more");
  more.hidden = shown.length === rows.length;
  more.textContent = `Show all ${fmt(rows.length)}`;
}

function current(movie) {
  if (movie.enrichment_status === "tv") return ["Now: ", tmdbLink(movie.tmdb_tv_id, "a TV series on TMDB", "tv"), ", not counted as a film"];
  if (!movie.tmdb_id) return ["Now: not on TMDB"];
  const matched = movie.match_candidates.find((candidate) => candidate.tmdb_id === movie.tmdb_id);
  // A match taken from the films cache has no candidates: the API names its film (tmdb_title).
  const name = matched ? titleYear(matched) : movie.tmdb_title || `TMDB film ${movie.tmdb_id}`;
  const sure = movie.match_confidence !== null ? `, ${Math.round(movie.match_confidence * 100)}% sure` : "";
  return ["Now: ", tmdbLink(movie.tmdb_id, name), sure];
}

// Entries sharing a title are told apart by when they were watched and their Letterboxd page.
function whichEntry(movie) {
  const line = el("p", "match-entry muted");
  const watched = movie.watched_date || movie.marked_watched_on;
  line.append(watched ? `Watched ${watched}` : "No watched date");
  if (movie.letterboxd_uri) {
    const link = el("a", "", "its Letterboxd page");
    link.href = movie.letterboxd_uri;
    link.rel = "noopener";
    line.append(" · ", link);
  }
  return line;
}

function choice(value, labelText, checked) {
  const label = el("label", "choice");
  const radio = el("input");
  Object.assign(radio, { type: "radio", name: "choice", value, checked });
  label.append(radio, ` ${labelText}`);
  return label;
}

function item(movie) {
  const row = el("li", "match");
  const form = el("form", "match-form");
  form.dataset.movie = movie.id;
  const heading = el("h3", "", titleYear(movie));
  const reasons = el("p", "match-reasons");
  for (const reason of movie.review_reasons) reasons.append(el("span", `badge ${reason}`, REASONS[reason] || reason), " ");
  // What sessions chose for this Letterboxd film: counts only, never who.
  const chosen = (movie.correction_choices || []).map((c) => `${c.tmdb_id ?? "not on TMDB"} (${c.sessions})`);
  if (chosen.length) reasons.append(el("span", "match-choices", `chosen by sessions: ${chosen.join(", ")}`));
  const now = el("p", "match-now");
  now.append(...current(movie));
  form.append(heading, whichEntry(movie), reasons);
  if (movie.match_reason) form.append(el("p", "muted", movie.match_reason));
  if (movie.duplicate_of.length) {
    const others = movie.duplicate_of.map((other) => rows.find((r) => r.id === other)).filter(Boolean);
    form.append(el("p", "muted", `Shares its TMDB film with: ${others.map(titleYear).join(", ") || "another entry"}`));
  }
  form.append(now);

  const fieldset = el("fieldset");
  fieldset.append(el("legend", "", "The right film"));
  for (const candidate of movie.match_candidates) {
    const option = el("div", "candidate");
    option.append(
      choice(String(candidate.tmdb_id), `${titleYear(candidate)} · ${fmt(candidate.votes)} votes`, candidate.tmdb_id === movie.tmdb_id),
      tmdbLink(candidate.tmdb_id, "TMDB"),
    );
    fieldset.append(option);
  }
  const other = el("div", "candidate");
  const typed = el("input");
  Object.assign(typed, { type: "text", name: "tmdb_id", inputMode: "numeric", pattern: "[0-9]*", autocomplete: "off" });
  typed.setAttribute("aria-label", `TMDB id for ${movie.title}`);
  typed.addEventListener("input", () => { form.elements.choice.value = "typed"; });
  other.append(choice("typed", "TMDB id:", false), typed);
  fieldset.append(other, choice("none", "Not on TMDB", !movie.tmdb_id && movie.enrichment_status !== "tv"));
  const save = el("button", "button", "Save");
  save.type = "submit";
  const error = el("p", "error match-error");
  error.setAttribute("role", "alert");
  form.append(fieldset, save, error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    correct(form, movie);
  });
  row.append(form);
  return row;
}

function chosenId(form) {
  const picked = form.elements.choice.value;
  if (picked === "none") return null;
  if (picked !== "typed") return Number(picked);
  const typed = form.elements.tmdb_id.value.trim();
  if (!/^[0-9]+$/.test(typed)) throw new Error("Type the film's TMDB id: the number in its TMDB address.");
  return Number(typed);
}

async function correct(form, movie) {
  const error = form.querySelector(".match-error");
  const save = form.querySelector("button[type=submit]");
  error.textContent = "";
  if (!form.elements.choice.value) {
    error.textContent = "Choose a film, type a TMDB id, or say it is not on TMDB.";
    return;
  }
  let answer;
  save.disabled = true;
  try {
    answer = await putJson(`${api}/movies/${movie.id}/match`, { tmdb_id: chosenId(form) });
  } catch (failure) {
    // The API's message about the id itself, without its field name before it.
    error.textContent = `Not saved: ${failure instanceof Refused ? failure.field("tmdb_id") : failure.message}`;
    save.disabled = false;
    return;
  }
  const done = $("matches-done");
  done.textContent = answer.tmdb_id
    ? `Saved: “${movie.title}” is now TMDB film ${answer.tmdb_id}.`
    : `Saved: “${movie.title}” is not on TMDB.`;
  done.focus(); // the list is drawn anew: keep the keyboard in the panel
  document.dispatchEvent(new CustomEvent("match-corrected"));
}

// A share link's page has no matches to check.
$("matches-more")?.addEventListener("click", () => {
  showAll = true;
  render();
});
