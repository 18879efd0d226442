// What every part of the session page shares: the session, the JSON API, the server's figures on
// #app, and small helpers of its markup (the DOM helpers themselves are dom.js's).

import { $, el } from "./dom.js";
import { initial } from "./text.js";

const app = $("app");
export const id = app.dataset.session;
// A share link's page (/v/<token>/) reads the same answers under its token, and writes nothing.
export const viewer = app.dataset.viewer || "";
export const api = app.dataset.api || `/api/session/${id}`;
export const diaryDaysUrl = app.dataset.diaryDays || `/s/${id}/diary-days.json`;
export const postersOn = app.dataset.posters === "on";
// Below this match confidence a film asks for review: the server's own threshold, as GET …/matches uses.
export const reviewBelow = Number(app.dataset.reviewBelow);

export class Gone extends Error {}

// A refusal: its message is the API's `detail`; `field(name)` is the message about one field of
// the request alone, without the "tmdb_id: " the detail puts before it.
export class Refused extends Error {
  constructor(body, status) {
    super(body.detail || `The server answered ${status}.`);
    this.errors = body.errors || {};
  }

  field(name) {
    const messages = this.errors[name];
    if (typeof messages === "string") return messages;
    return Array.isArray(messages) && typeof messages[0] === "string" ? messages[0] : this.message;
  }
}

async function answer(response) {
  if (response.status === 404) throw new Gone();
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refused(body, response.status);
  return body;
}

// Reads are held while the session is being deleted: those in flight are cancelled and none
// starts, so the page never asks for what is gone (a 404 in the console) before it leaves.
let reads = new AbortController();
export const holdReads = () => reads.abort();
export const resumeReads = () => {
  reads = new AbortController();
};
export const held = (error) => error instanceof DOMException && error.name === "AbortError";

export async function getJson(url) {
  return answer(await fetch(url, { headers: { Accept: "application/json" }, signal: reads.signal }));
}

export async function putJson(url, body) {
  const response = await fetch(url, {
    method: "PUT",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return answer(response);
}

export function showError(error) {
  if (held(error)) return;
  const box = $("load-error");
  box.hidden = false;
  box.textContent = error instanceof Gone
    ? "This upload is gone: it was deleted or has expired."
    : `Could not load the latest figures: ${error.message} Retrying…`;
}

// A figure tile: the value big, its label under it, an optional note (e.g. the change against last year).
export function tile(list, label, value, note) {
  const wrap = document.createElement("div");
  wrap.append(el("dd", "", value), el("dt", "", label));
  if (note) wrap.append(el("dd", "tile-note", note));
  list.append(wrap);
}

export function tmdbLink(tmdbId, text, kind) {
  if (!tmdbId) return document.createTextNode(text);
  const link = el("a", "", text);
  link.href = `https://www.themoviedb.org/${kind || "movie"}/${tmdbId}`;
  link.rel = "noopener";
  return link;
}

// The one star notation of the pages: a rating as given ("0.5★", "3.5★", "4★"); an average with
// `digits` decimals ("3.62★").
export function stars(value, digits) {
  if (value === null || value === undefined || value === "") return "–";
  const number = Number(value);
  return `${digits === undefined ? String(number) : number.toFixed(digits)}★`;
}

export const titleYear = (film) => `${film.title}${film.year ? ` (${film.year})` : ""}`;
export const finished = (status) => status === "completed" || status === "failed";

// A film's TMDB poster when TMDB is real, else (or when it fails to load) its initial in a box.
export function poster(film) {
  if (postersOn && film.poster_path) {
    const image = el("img", "poster");
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
  const box = el("span", "poster none", initial(film.title));
  box.setAttribute("aria-hidden", "true");
  return box;
}
