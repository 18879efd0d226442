// One session's page: progress while TMDB enrichment runs, then statistics and the film list.
// Everything comes from the JSON API; numbers are drawn by charts.js.
"use strict";

(function () {
  const app = document.getElementById("app");
  const id = app.dataset.session;
  const api = `/api/session/${id}`;
  const postersOn = app.dataset.posters === "on";
  const $ = (elementId) => document.getElementById(elementId);
  const fmt = window.Charts.format;
  const POLL_MS = 1500;
  const ANALYTICS_EVERY_MS = 4000;
  const PEOPLE_SHOWN = 12;
  const state = { status: null, analytics: null, analyticsAt: 0, analyticsFor: -1, year: "", page: 1, days: null };
  let languageNames = null;
  try {
    languageNames = new Intl.DisplayNames(["en"], { type: "language" });
  } catch (error) {
    languageNames = null;
  }

  class Gone extends Error {}

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (response.status === 404) throw new Gone();
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || `The server answered ${response.status}.`);
    return body;
  }

  function showError(error) {
    const box = $("load-error");
    box.hidden = false;
    box.textContent = error instanceof Gone
      ? "This upload is gone: it was deleted or has expired."
      : `Could not load the latest figures: ${error.message} Retrying…`;
  }

  function clearError() {
    $("load-error").hidden = true;
  }

  // --- progress -------------------------------------------------------------
  const finished = (status) => status === "completed" || status === "failed";

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
    if (status.failed_count) counts.push(`${fmt(status.failed_count)} failed`);
    $("progress-text").textContent = counts.join(" · ");
    const extra = [];
    if (status.queue_position) extra.push(`${fmt(status.queue_position)} upload(s) ahead of yours in the queue`);
    if (status.eta_seconds !== undefined && status.eta_seconds !== null && !finished(status.status)) {
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

  async function poll() {
    try {
      const status = await getJson(`${api}/status`);
      clearError();
      state.status = status;
      renderProgress(status);
      const done = status.processed_count ?? status.enriched_count;
      const due = Date.now() - state.analyticsAt > ANALYTICS_EVERY_MS || finished(status.status);
      if (done !== state.analyticsFor && due) {
        state.analyticsFor = done;
        await loadAnalytics();
        if (finished(status.status)) loadFilms();
      }
      if (!finished(status.status)) setTimeout(poll, POLL_MS);
    } catch (error) {
      showError(error);
      if (!(error instanceof Gone)) setTimeout(poll, POLL_MS * 4);
    }
  }

  // --- statistics -------------------------------------------------------------
  async function loadAnalytics() {
    state.analyticsAt = Date.now();
    const query = state.year ? `?year=${state.year}` : "";
    const analytics = await getJson(`${api}/analytics${query}`);
    state.analytics = analytics;
    renderAnalytics(analytics);
    fillFilterOptions(analytics);
  }

  function tile(list, label, value) {
    const wrap = document.createElement("div");
    const term = document.createElement("dt");
    const detail = document.createElement("dd");
    term.textContent = label;
    detail.textContent = value;
    wrap.append(detail, term);
    list.append(wrap);
  }

  function stars(value) {
    return value === null || value === undefined ? "–" : `${Number(value).toFixed(2)} ★`;
  }

  // 3.5 as "3½★", 0.5 as "½★".
  function halfStars(rating) {
    const whole = Math.floor(rating);
    return `${whole || ""}${rating % 1 ? "½" : ""}★`;
  }

  function people(rows) {
    return rows.map((row) => ({
      label: row.name,
      value: row.films,
      note: row.average_rating !== null && row.average_rating !== undefined ? `${Number(row.average_rating).toFixed(1)}★` : "",
    }));
  }

  function languageName(code) {
    try {
      return (languageNames && languageNames.of(code)) || code;
    } catch (error) {
      return code;
    }
  }

  function renderAnalytics(a) {
    $("stats").hidden = false;
    const totals = a.totals;
    const list = $("totals");
    list.replaceChildren();
    tile(list, "films", fmt(totals.films));
    tile(list, "viewings", fmt(totals.viewings));
    tile(list, "rewatches", fmt(totals.rewatches));
    tile(list, "rated", fmt(totals.rated_films));
    tile(list, "average rating", stars(totals.average_rating));
    tile(list, "liked", fmt(totals.liked_films));

    renderYears(a.years);
    window.Charts.timeline($("chart-watches-by-month"), a.watches_by_month);
    window.Charts.columns($("chart-weekday"), a.watches_by_weekday.map((row) => ({ label: row.weekday.slice(0, 3), value: row.viewings })));
    window.Charts.columns($("chart-watches-by-year"), a.watches_by_year.map((row) => ({ label: String(row.year), value: row.viewings })));
    window.Charts.columns($("chart-ratings"), a.rating_distribution.map((row) => ({ label: halfStars(row.rating), value: row.films })));
    window.Charts.columns($("chart-decades"), a.decades.map((row) => ({ label: `${row.decade}s`, value: row.films })));

    // TMDB-based sections fill in as enrichment runs: say on how many films they rest on.
    const running = state.status && !finished(state.status.status);
    $("tmdb-basis").textContent = `based on ${fmt(totals.enriched_films)} of ${fmt(totals.films)} films${running ? " so far" : ""}`;
    const tmdb = $("tmdb-totals");
    tmdb.replaceChildren();
    tile(tmdb, "hours watched", fmt(Math.round(totals.hours_watched)));
    tile(tmdb, "median runtime", a.runtime.median ? `${Math.round(a.runtime.median)} min` : "–");
    const versus = a.rating_vs_tmdb;
    tile(tmdb, "your rating vs TMDB (out of 10)", versus.films
      ? `${Number(versus.average_rating_out_of_10).toFixed(1)} vs ${Number(versus.average_tmdb_vote).toFixed(1)}` : "–");
    const empty = running ? "Filling in as films are looked up…" : "No TMDB data for these films.";
    window.Charts.bars($("chart-genres"), a.genres.map((row) => ({ label: row.name, value: row.films })), { empty });
    window.Charts.bars($("chart-directors"), people(a.directors), { limit: PEOPLE_SHOWN, empty });
    window.Charts.bars($("chart-actors"), people(a.actors), { limit: PEOPLE_SHOWN, empty });
    window.Charts.bars($("chart-countries"), a.countries.map((row) => ({ label: row.name, value: row.films })), { empty });
    window.Charts.bars($("chart-languages"), a.languages.map((row) => ({ label: languageName(row.name), value: row.films })), { empty });
    filmList($("list-most-popular"), a.most_popular);
    filmList($("list-least-popular"), a.least_popular);
    loadCalendar();
  }

  function filmList(list, films) {
    list.replaceChildren();
    for (const film of films) {
      const item = document.createElement("li");
      item.append(tmdbLink(film.tmdb_id, `${film.title}${film.year ? ` (${film.year})` : ""}`));
      if (film.rating) item.append(` · you: ${film.rating}★`);
      list.append(item);
    }
    if (!films.length) list.append(Object.assign(document.createElement("li"), { textContent: "–" }));
  }

  function tmdbLink(tmdbId, text) {
    if (!tmdbId) return document.createTextNode(text);
    const link = document.createElement("a");
    link.href = `https://www.themoviedb.org/movie/${tmdbId}`;
    link.rel = "noopener";
    link.textContent = text;
    return link;
  }

  // The analytics offer per-year figures only when they list `years`.
  function renderYears(years) {
    const picker = $("year-picker");
    if (!Array.isArray(years) || !years.length) {
      picker.hidden = true;
      return;
    }
    const select = $("year-select");
    const wanted = ["", ...years.map(String)];
    const have = Array.from(select.options).map((option) => option.value);
    if (wanted.join() !== have.join()) {
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

  // --- calendar heatmap ---------------------------------------------------------
  async function loadCalendar() {
    if (state.days === null) {
      try {
        state.days = (await getJson(`/s/${id}/diary-days.json`)).days;
      } catch (error) {
        showError(error);
        return;
      }
      const years = [...new Set(Object.keys(state.days).map((day) => day.slice(0, 4)))].sort().reverse();
      const select = $("calendar-year");
      select.replaceChildren(...years.map((year) => new Option(year, year)));
      select.closest("label").hidden = years.length < 2;
    }
    const select = $("calendar-year");
    if (state.year && Array.from(select.options).some((option) => option.value === state.year)) select.value = state.year;
    drawCalendar();
  }

  function drawCalendar() {
    const year = $("calendar-year").value;
    if (!year) return window.Charts.nodata($("chart-calendar"), "No dated diary entries.");
    window.Charts.calendar($("chart-calendar"), state.days, Number(year));
  }

  $("calendar-year").addEventListener("change", drawCalendar);

  // --- films --------------------------------------------------------------------
  const filters = $("film-filters");

  function fillFilterOptions(a) {
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
    const params = new URLSearchParams({ page: state.page, per_page: 25 });
    const form = new FormData(filters);
    for (const [name, value] of form.entries()) {
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
  async function loadFilms() {
    const request = ++filmRequest;
    let answer;
    try {
      answer = await getJson(`${api}/movies?${filmQuery()}`);
    } catch (error) {
      showError(error);
      return;
    }
    if (request !== filmRequest) return; // a newer search has been sent
    const list = $("film-list");
    list.replaceChildren(...answer.movies.map(filmItem));
    $("film-count").textContent = answer.total === 1 ? "1 film" : `${fmt(answer.total)} films`;
    $("page-info").textContent = answer.pages ? `Page ${answer.page} of ${answer.pages}` : "";
    $("page-prev").disabled = answer.page <= 1;
    $("page-next").disabled = answer.page >= answer.pages;
  }

  function poster(film) {
    if (postersOn && film.poster_path) {
      const image = document.createElement("img");
      image.className = "poster";
      image.loading = "lazy";
      image.alt = "";
      image.width = 46;
      image.height = 69;
      image.src = `https://image.tmdb.org/t/p/w92${film.poster_path}`;
      image.addEventListener("error", () => image.replaceWith(noPoster(film)));
      return image;
    }
    return noPoster(film);
  }

  function noPoster(film) {
    const box = document.createElement("span");
    box.className = "poster none";
    box.setAttribute("aria-hidden", "true");
    box.textContent = film.title.trim().charAt(0).toUpperCase() || "?";
    return box;
  }

  function line(parent, label, value) {
    if (!value || (Array.isArray(value) && !value.length)) return;
    const row = document.createElement("p");
    const name = document.createElement("strong");
    name.textContent = `${label}: `;
    row.append(name, Array.isArray(value) ? value.join(", ") : String(value));
    parent.append(row);
  }

  function filmItem(film) {
    const item = document.createElement("li");
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    const title = document.createElement("span");
    title.className = "film-title";
    title.textContent = film.title;
    const meta = document.createElement("span");
    meta.className = "film-meta";
    const bits = [film.year, film.rating ? `${film.rating}★` : null, film.viewings.length > 1 ? `${film.viewings.length} viewings` : null];
    meta.textContent = bits.filter(Boolean).join(" · ");
    const words = document.createElement("span");
    words.className = "film-words";
    words.append(title, meta);
    summary.append(poster(film), words);
    if (film.enrichment_status !== "enriched") {
      const badge = document.createElement("span");
      badge.className = `badge ${film.enrichment_status}`;
      badge.textContent = film.enrichment_status.replace("_", " ");
      summary.append(badge);
    }
    details.append(summary);

    const body = document.createElement("div");
    body.className = "film-body";
    line(body, "Directed by", film.directors);
    line(body, "With", film.cast);
    line(body, "Genres", film.genres);
    line(body, "Runtime", film.runtime ? `${film.runtime} min` : null);
    line(body, "Country", film.production_countries.length ? film.production_countries : film.country);
    line(body, "TMDB rating", film.vote_average ? `${film.vote_average} / 10` : null);
    line(body, "Tags", film.tags);
    const viewings = document.createElement("ul");
    viewings.className = "viewings";
    for (const viewing of film.viewings) {
      const row = document.createElement("li");
      const parts = [viewing.watched_date || "undated", viewing.rating ? `${viewing.rating}★` : null, viewing.rewatch ? "rewatch" : null];
      row.textContent = parts.filter(Boolean).join(" · ");
      if (viewing.review) {
        const review = document.createElement("blockquote");
        review.textContent = viewing.review.replace(/<[^>]*>/g, "");
        row.append(review);
      }
      viewings.append(row);
    }
    if (film.viewings.length) {
      const heading = document.createElement("p");
      heading.innerHTML = "<strong>Viewings</strong>";
      body.append(heading, viewings);
    } else if (film.watched_date) {
      line(body, "Marked watched", film.watched_date);
    }
    const links = document.createElement("p");
    links.className = "film-links";
    if (film.tmdb_id) links.append(tmdbLink(film.tmdb_id, "On TMDB"), " ");
    if (film.letterboxd_uri) {
      const letterboxd = document.createElement("a");
      letterboxd.href = film.letterboxd_uri;
      letterboxd.rel = "noopener";
      letterboxd.textContent = "On Letterboxd";
      links.append(letterboxd);
    }
    body.append(links);
    details.append(body);
    item.append(details);
    return item;
  }

  let typing = null;
  filters.addEventListener("input", (event) => {
    state.page = 1;
    clearTimeout(typing);
    typing = setTimeout(loadFilms, event.target.type === "search" ? 250 : 0);
  });
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    state.page = 1;
    loadFilms();
  });
  $("page-prev").addEventListener("click", () => {
    state.page = Math.max(1, state.page - 1);
    loadFilms();
  });
  $("page-next").addEventListener("click", () => {
    state.page += 1;
    loadFilms();
  });

  // --- delete -------------------------------------------------------------------
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
    let response;
    try {
      response = await fetch(api, { method: "DELETE" });
    } catch (error) {
      $("delete-error").textContent = "The server could not be reached; nothing was deleted.";
      return;
    }
    if (response.status === 204 || response.status === 404) {
      window.location.assign("/?deleted=1");
      return;
    }
    const body = await response.json().catch(() => ({}));
    $("delete-error").textContent = `Not deleted: ${body.detail || `the server answered ${response.status}`}.`;
  });

  poll();
  loadFilms();
})();
