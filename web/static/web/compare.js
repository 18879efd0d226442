// The comparison page (/s/<id>/compare/<token>/): the score, the lists both ways, what to watch
// together and taste side by side, from GET /api/session/{id}/compare/{token}.

import { format as fmt } from "./charts.js";
import { $, el } from "./dom.js";
import { getJson, showError, tile, titleYear } from "./page.js";

const stars = (rating) => (rating === null || rating === undefined ? "–" : `${rating}★`);
const percent = (share) => `${Math.round(share * 100)}%`;
const TASTE = { genres: "Genres", decades: "Decades", countries: "Countries", directors: "Directors", actors: "Actors" };

function list(id, films, note) {
  const target = $(id);
  target.replaceChildren(...films.map((film) => el("li", "", `${titleYear(film)}${note ? ` · ${note(film)}` : ""}`)));
  if (!films.length) target.replaceChildren(el("li", "nodata", "None."));
}

function renderScore(answer) {
  const score = answer.compatibility;
  $("score").textContent = `${score.score} / 100`;
  $("score-basis").textContent = `Based on ${fmt(score.rated_in_common)} films you both rated and ${fmt(score.films_in_common)} films you both saw (you: ${fmt(answer.you.films)}, them: ${fmt(answer.friend.films)}).`;
  const tiles = $("score-tiles");
  tiles.replaceChildren();
  tile(tiles, "rating correlation", score.rating_correlation.toFixed(2));
  tile(tiles, "after shrinking (few films, less weight)", score.shrunk_correlation.toFixed(2));
  tile(tiles, "rating agreement", percent(score.agreement));
  tile(tiles, "overlap", percent(score.overlap));
  $("score-formula").textContent = score.formula;
}

function tasteTable(name, dimension) {
  const figure = el("figure", "chart");
  figure.append(el("figcaption", "", `${TASTE[name]} · ${percent(dimension.similarity)} alike`));
  const table = el("table", "taste-table");
  const head = el("tr");
  for (const label of ["", "you: films", "share", "avg", "them: films", "share", "avg"]) head.append(el("th", { scope: "col" }, label));
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  for (const row of dimension.rows) {
    const line = el("tr");
    line.append(el("th", { scope: "row" }, row.name));
    for (const side of [row.you, row.friend]) {
      line.append(el("td", "number", fmt(side.films)), el("td", "number", percent(side.share)), el("td", "number", stars(side.average_rating)));
    }
    table.tBodies[0].append(line);
  }
  const wrap = el("div", "table-wrap");
  wrap.append(table);
  figure.append(wrap);
  return figure;
}

function render(answer) {
  renderScore(answer);
  const both = (film) => `you ${stars(film.your_rating)}, them ${stars(film.friend_rating)}`;
  list("list-both-loved", answer.both_loved, both);
  $("both-loved-count").textContent = fmt(answer.both_loved_count);
  list("list-disagreements", answer.disagreements, both);
  const onWatchlist = (whose) => (film) => `${stars(film.rating)}${film.on_watchlist ? ` · on ${whose} watchlist` : ""}`;
  list("list-for-you", answer.for_you, onWatchlist("your"));
  list("list-for-friend", answer.for_friend, onWatchlist("their"));
  list("list-in-common", answer.in_common, both);
  $("in-common-count").textContent = fmt(answer.compatibility.films_in_common);
  const together = answer.watch_together;
  list("list-both-watchlists", together.both_watchlists);
  $("both-watchlists-count").textContent = fmt(together.both_watchlists_count);
  list("list-yours-friend-loved", together.yours_friend_loved, (film) => `they gave it ${stars(film.rating)}`);
  list("list-friends-you-loved", together.friends_you_loved, (film) => `you gave it ${stars(film.rating)}`);
  $("taste-grid").replaceChildren(...Object.keys(TASTE).map((name) => tasteTable(name, answer.taste[name])));
}

getJson($("app").dataset.compare).then(render, (error) => {
  showError(error);
  $("score").textContent = "–";
});
