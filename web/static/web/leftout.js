// What the figures would otherwise leave out without a word: diary entries that name two films
// (GET …/ambiguous-entries; the member picks the film, PUT …/ambiguous-entries/{id}) and the rows
// the export reader skipped (the session's metadata.skipped_rows), each listed with why.

import { format as fmt } from "./charts.js";
import { $, el } from "./dom.js";
import { api, getJson, putJson, stars, titleYear, tmdbLink } from "./page.js";

const WHY = {
  missing_title: "it has no Name",
  bad_year: "its Year is not a plausible year",
  bad_date: "a date is not written YYYY-MM-DD",
  bad_rating: "its rating is not 0.5★ to 5★ in half stars",
  bad_uri: "its link is not a Letterboxd address",
  too_long: "a value is longer than we keep",
};
const SKIPPED_SHOWN = 50;

export async function load() {
  const [entries, session] = await Promise.all([getJson(`${api}/ambiguous-entries`), getJson(api)]);
  renderEntries(entries);
  renderSkipped((session.metadata && session.metadata.skipped_rows) || {});
}

const entryCount = (count) => `${fmt(count)} diary ${count === 1 ? "entry" : "entries"}`;

function renderEntries(entries) {
  const section = $("ambiguous");
  section.hidden = !entries.length;
  $("ambiguous-title").textContent = `${entryCount(entries.length)} could not be tied to one film`;
  $("ambiguous-list").replaceChildren(...entries.map(entryItem));
}

function entryItem(entry) {
  const row = el("li", "match");
  const form = el("form", "match-form");
  const when = [entry.watched_date ? `watched ${entry.watched_date}` : "undated"];
  if (entry.rating) when.push(stars(entry.rating));
  if (entry.rewatch) when.push("rewatch");
  form.append(el("h3", "", `${titleYear(entry)} · ${when.join(" · ")}`));
  const group = el("fieldset", "choices");
  group.append(el("legend", "", "Which film was it?"));
  entry.candidates.forEach((film, index) => group.append(candidate(film, index === 0)));
  const save = el("button", "button", "Count it for this film");
  save.type = "submit";
  const message = el("p", { class: "error", role: "alert" });
  form.append(group, save, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    message.textContent = "";
    try {
      await putJson(`${api}/ambiguous-entries/${entry.id}`, { movie_id: Number(form.elements.film.value) });
      document.dispatchEvent(new CustomEvent("entry-placed"));
    } catch (error) {
      message.textContent = `Not saved: ${error.message}`;
      save.disabled = false;
    }
  });
  row.append(form);
  return row;
}

// Each candidate with what tells it apart from its twin: its Letterboxd page, TMDB film and director.
function candidate(film, checked) {
  const label = el("label", "choice");
  const radio = el("input");
  Object.assign(radio, { type: "radio", name: "film", value: String(film.id), checked });
  const facts = [];
  if (film.first_director) facts.push(`directed by ${film.first_director}`);
  if (film.marked_watched_on) facts.push(`marked watched ${film.marked_watched_on}`);
  if (film.diary_entries) facts.push(`${fmt(film.diary_entries)} other diary ${film.diary_entries === 1 ? "entry" : "entries"}`);
  // One text beside the radio: the label lays out as radio and words, the links inline.
  const words = el("span", "", `${titleYear(film)}${facts.length ? ` · ${facts.join(" · ")}` : ""}`);
  if (film.letterboxd_uri) {
    const link = el("a", "", "on Letterboxd");
    link.href = film.letterboxd_uri;
    link.rel = "noopener";
    words.append(" · ", link);
  }
  if (film.tmdb_id) words.append(" · ", tmdbLink(film.tmdb_id, "on TMDB"));
  label.append(radio, words);
  return label;
}

function renderSkipped(skipped) {
  const rows = skipped.rows || [];
  const box = $("skipped");
  box.hidden = !skipped.total;
  if (!skipped.total) return;
  $("skipped-title").textContent = `${fmt(skipped.total)} ${skipped.total === 1 ? "row" : "rows"} of your export could not be read and ${skipped.total === 1 ? "is" : "are"} left out`;
  const items = rows.slice(0, SKIPPED_SHOWN).map((row) => el("li", "", `${row.file}, row ${fmt(row.row)}${row.title.trim() ? ` (${row.title})` : ""}: ${WHY[row.reason] || row.reason}`));
  const unlisted = skipped.total - items.length;
  if (unlisted > 0) items.push(el("li", "muted", `and ${fmt(unlisted)} more`));
  $("skipped-list").replaceChildren(...items);
}
