// One session's page: progress while TMDB enrichment runs, then the statistics (stats.js), the
// matches to check (matches.js), the share card and the film list (films.js). All from the JSON API.

import { format as fmt } from "./charts.js";
import { $ } from "./dom.js";
import * as Films from "./films.js";
import * as LeftOut from "./leftout.js";
import * as Matches from "./matches.js";
import "./share.js"; // the share panel, or "compare with mine" on a share link's page
import { api, finished, getJson, Gone, held, holdReads, resumeReads, showError, viewer } from "./page.js";
import * as Stats from "./stats.js";
import * as Watchlist from "./watchlist.js";

const POLL_MS = 1500;
const ANALYTICS_EVERY_MS = 4000;
const TMDB_EVERY_MS = 6000;
const state = { status: null, analyticsAt: 0, analyticsFor: "", year: "", tmdbAt: 0, tmdb: null };

// --- progress -------------------------------------------------------------
function duration(seconds) {
  if (seconds < 90) return "under 2 minutes";
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${(seconds / 3600).toFixed(1)} hours`;
}

function renderProgress(status) {
  const done = status.processed_count ?? status.enriched_count;
  const section = $("progress");
  $("progress-bar").value = status.progress_percent;
  $("progress-bar").textContent = `${status.progress_percent}%`;
  const counts = [`${fmt(done)} of ${fmt(status.total_movies)} films looked up`];
  if (status.not_found_count) counts.push(`${fmt(status.not_found_count)} not found`);
  if (status.tv_count) counts.push(`${fmt(status.tv_count)} TV`);
  if (status.failed_count) counts.push(`${fmt(status.failed_count)} failed`);
  $("progress-text").textContent = counts.join(" · ");
  const extra = [];
  // queue_position counts the uploads served before this one or sharing its turn, this one included.
  const others = (status.queue_position || 1) - 1;
  if (others) extra.push(`${fmt(others)} other upload${others === 1 ? "" : "s"} ahead of or alongside yours`);
  const tmdbDown = state.tmdb && state.tmdb.reachable === false && !finished(status.status);
  const paused = state.tmdb && state.tmdb.enrichment_paused && !finished(status.status);
  if (paused) {
    // Redis refuses writes: no film moves, and no ETA holds, until the server is fixed.
    extra.push("Enrichment is paused: the server cannot store its work right now; your films continue when it is fixed");
  } else if (tmdbDown) {
    // The ETA assumes TMDB answers; while it does not, say so instead of promising a time.
    extra.push(`TMDB is not answering (for ${duration(state.tmdb.unreachable_seconds)}); your films continue when it is back`);
  } else if (status.eta_seconds !== undefined && status.eta_seconds !== null && !finished(status.status)) {
    extra.push(`${duration(status.eta_seconds)} left`);
  }
  $("progress-extra").textContent = extra.join(" · ");
  section.dataset.state = status.status;
  if (status.status === "completed") {
    section.querySelector("h2").textContent = "All films looked up";
    section.classList.add("done");
  } else if (status.status === "failed") {
    section.querySelector("h2").textContent = "Looking up films stopped";
    $("progress-extra").textContent = status.error_message || "The enrichment failed.";
    section.classList.add("failed");
  }
}

let nextPoll = null;
async function poll() {
  try {
    const status = await getJson(`${api}/status`);
    if (!finished(status.status) && Date.now() - state.tmdbAt > TMDB_EVERY_MS) {
      state.tmdbAt = Date.now();
      // A side note to the progress: when it cannot be read, the progress still shows.
      state.tmdb = await getJson("/tmdb-status.json").catch((error) => {
        if (held(error)) throw error;
        return state.tmdb;
      });
    }
    $("load-error").hidden = true;
    state.status = status;
    renderProgress(status);
    // Read the statistics again when films were done since, and once more when the session ends
    // (all films can be done a moment before the session says completed).
    const reading = `${status.processed_count ?? status.enriched_count} ${status.status}`;
    const due = Date.now() - state.analyticsAt > ANALYTICS_EVERY_MS || finished(status.status);
    if (reading !== state.analyticsFor && due) {
      state.analyticsFor = reading;
      if (finished(status.status)) Films.load(); // sent now: a search typed later wins
      if (finished(status.status)) Watchlist.load(); // then it follows its own lookups
      await loadAnalytics();
      if (finished(status.status) && !viewer) await Matches.load(); // a share link corrects nothing
    }
    if (!finished(status.status)) nextPoll = setTimeout(poll, POLL_MS);
  } catch (error) {
    showError(error);
    if (!(error instanceof Gone) && !held(error)) nextPoll = setTimeout(poll, POLL_MS * 4);
  }
}

// --- statistics and the share card, for the chosen year ----------------------------
async function loadAnalytics() {
  state.analyticsAt = Date.now();
  const query = state.year ? `?year=${state.year}` : "";
  const analytics = await getJson(`${api}/analytics${query}`);
  Stats.render(analytics, state.status && !finished(state.status.status));
  renderYears(analytics.years);
  Films.fillFilterOptions(analytics);
  showCard(query);
}

// The card's picture is read again whenever the figures were (the same address would not be):
// `v` names the reading, which the server ignores. A phone's screen gets the portrait card, drawn
// half as wide so its words stay readable. Downloads keep the plain address, and a name.
function showCard(query) {
  const image = $("card-image");
  const version = `v=${encodeURIComponent(state.analyticsFor || "0")}`;
  const joined = (address) => `${address}${address.includes("?") ? "&" : "?"}`;
  const src = `${joined(`${api}/card.svg${query}`)}${version}`;
  const portrait = `${joined(`${api}/card.svg${query}`)}layout=portrait&${version}`;
  if ($("card-portrait").getAttribute("srcset") !== portrait) $("card-portrait").srcset = portrait;
  if (image.getAttribute("src") !== src) image.src = src;
  image.alt = `Share card: your ${state.year || "all-time"} films in figures`;
  const name = `letterboxd-stats-${state.year || "all-time"}`;
  $("card-svg").href = `${api}/card.svg${query}`;
  $("card-svg").setAttribute("download", `${name}.svg`);
  $("card-png").href = `${api}/card.png${query}`;
  $("card-png").setAttribute("download", `${name}.png`);
  $("card-png-portrait").href = `${joined(`${api}/card.png${query}`)}layout=portrait`;
  $("card-png-portrait").setAttribute("download", `${name}-portrait.png`);
  $("card").hidden = false;
}

function renderYears(years) {
  const picker = $("year-picker");
  if (!Array.isArray(years) || !years.length) {
    picker.hidden = true;
    return;
  }
  const select = $("year-select");
  years = [...years].sort((a, b) => b - a); // the latest first
  const wanted = ["", ...years.map(String)];
  if (wanted.join() !== Array.from(select.options).map((option) => option.value).join()) {
    select.replaceChildren(new Option("All years", ""), ...years.map((year) => new Option(String(year), String(year))));
    select.value = state.year;
  }
  picker.hidden = false;
}

$("year-select").addEventListener("change", async (event) => {
  state.year = event.target.value;
  try {
    await loadAnalytics();
  } catch (error) {
    showError(error);
  }
});

// A corrected match moves the counters, the statistics and the film list: read them again.
document.addEventListener("match-corrected", async () => {
  try {
    renderProgress(await getJson(`${api}/status`));
    await loadAnalytics();
    Films.load();
    await Matches.load();
  } catch (error) {
    showError(error);
  }
});

// A diary entry tied to its film is counted from now on: the figures, the films and the list move.
document.addEventListener("entry-placed", async () => {
  try {
    await loadAnalytics();
    Films.load();
    await LeftOut.load();
  } catch (error) {
    showError(error);
  }
});

// --- delete (the owner's page only) ------------------------------------------------
function wireDelete() {
  const confirmBox = $("delete-confirm");
  $("delete-open").addEventListener("click", () => {
    confirmBox.hidden = false;
    $("delete-no").focus();
  });
  $("delete-no").addEventListener("click", () => {
    confirmBox.hidden = true;
    $("delete-open").focus();
  });
  $("delete-yes").addEventListener("click", async () => {
    holdReads();
    const response = await fetch(api, { method: "DELETE" }).catch(() => null); // null: no answer
    if (response && (response.status === 204 || response.status === 404)) {
      window.location.assign("/?deleted=1");
      return;
    }
    const body = response ? await response.json().catch(() => ({})) : {};
    $("delete-error").textContent = response
      ? `Not deleted: ${body.detail || `the server answered ${response.status}`}.`
      : "The server could not be reached; nothing was deleted.";
    resumeReads(); // still here: follow the session again
    clearTimeout(nextPoll);
    poll();
    Films.load();
  });
}

if (!viewer) wireDelete();
poll();
Films.load();
if (!viewer) LeftOut.load().catch(showError); // a share link ties no entry
