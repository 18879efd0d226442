// What every part of the session page shares: the session, the JSON API, small DOM helpers.
"use strict";

window.Page = (function () {
  const app = document.getElementById("app");
  const id = app.dataset.session;
  const $ = (elementId) => document.getElementById(elementId);
  const fmt = window.Charts.format;

  class Gone extends Error {}

  async function answer(response) {
    if (response.status === 404) throw new Gone();
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || `The server answered ${response.status}.`);
    return body;
  }

  // Reads are held while the session is being deleted: those in flight are cancelled and none
  // starts, so the page never asks for what is gone (a 404 in the console) before it leaves.
  let reads = new AbortController();
  const holdReads = () => reads.abort();
  const resumeReads = () => {
    reads = new AbortController();
  };
  const held = (error) => error instanceof DOMException && error.name === "AbortError";

  async function getJson(url) {
    return answer(await fetch(url, { headers: { Accept: "application/json" }, signal: reads.signal }));
  }

  async function putJson(url, body) {
    const response = await fetch(url, {
      method: "PUT",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return answer(response);
  }

  function showError(error) {
    if (held(error)) return;
    const box = $("load-error");
    box.hidden = false;
    box.textContent = error instanceof Gone
      ? "This upload is gone: it was deleted or has expired."
      : `Could not load the latest figures: ${error.message} Retrying…`;
  }

  function el(name, className, text) {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A figure tile: the value big, its label under it, an optional note (e.g. the change against last year).
  function tile(list, label, value, note) {
    const wrap = document.createElement("div");
    wrap.append(el("dd", "", value), el("dt", "", label));
    if (note) wrap.append(el("dd", "tile-note", note));
    list.append(wrap);
  }

  function tmdbLink(tmdbId, text, kind) {
    if (!tmdbId) return document.createTextNode(text);
    const link = el("a", "", text);
    link.href = `https://www.themoviedb.org/${kind || "movie"}/${tmdbId}`;
    link.rel = "noopener";
    return link;
  }

  const titleYear = (film) => `${film.title}${film.year ? ` (${film.year})` : ""}`;
  const finished = (status) => status === "completed" || status === "failed";

  return {
    id, api: `/api/session/${id}`, postersOn: app.dataset.posters === "on",
    $, fmt, Gone, getJson, putJson, showError, el, tile, tmdbLink, titleYear, finished,
    holdReads, resumeReads, held,
  };
})();
