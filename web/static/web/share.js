// The share panel. On the owner's page: create, copy, rotate and revoke the read-only link, and open a
// comparison with a friend's link. On a share link's page (/v/<token>/): "compare with mine".

import { $ } from "./dom.js";
import { id, viewer } from "./page.js";

const OWN_SESSION = "lb-own-session"; // the owner's session id, kept in this browser only
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const TOKEN = /\/v\/([A-Za-z0-9_-]{20,})/;

async function shareCall(method) {
  const response = await fetch(`/api/session/${id}/share`, { method, headers: { Accept: "application/json" } });
  if (!response.ok && response.status !== 204) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.detail || `The server answered ${response.status}.`);
  }
  return response.status === 204 ? null : response.json();
}

function showLink(link) {
  $("share-none").hidden = Boolean(link);
  $("share-active").hidden = !link;
  if (link) {
    $("share-url").value = link.url;
    $("share-created").textContent = `Created ${new Date(link.created_at).toLocaleString()}.`;
  }
}

async function run(method, said) {
  try {
    const link = await shareCall(method);
    showLink(method === "DELETE" ? null : link);
    $("share-status").textContent = said;
  } catch (error) {
    $("share-status").textContent = `Not done: ${error.message}`;
  }
}

function wireOwner() {
  localStorage.setItem(OWN_SESSION, id);
  const panel = $("share").dataset; // the active link, as the page was served
  showLink(panel.url ? { url: panel.url, created_at: panel.created } : null);
  $("share-create").addEventListener("click", () => run("POST", "Read-only link created: send this one."));
  $("share-rotate").addEventListener("click", () => run("POST", "New link created; the old one no longer works."));
  $("share-revoke").addEventListener("click", () => run("DELETE", "Link revoked: it no longer opens anything."));
  $("share-copy").addEventListener("click", async () => {
    $("share-url").select();
    await navigator.clipboard?.writeText($("share-url").value).catch(() => null);
    $("share-status").textContent = "Link copied.";
  });
  $("compare-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("compare-link").value;
    const token = TOKEN.exec(value)?.[1];
    if (!token) {
      $("compare-error").textContent = UUID.test(value)
        ? "That is a private page's address: ask your friend for their read-only link (…/v/…/)."
        : "Not a read-only link: it looks like https://…/v/…/.";
      return;
    }
    window.location.assign(`/s/${id}/compare/${token}/`);
  });
}

function wireViewer() {
  const own = localStorage.getItem(OWN_SESSION);
  if (own) {
    $("compare-mine-link").href = `/s/${own}/compare/${viewer}/`;
    $("compare-mine").hidden = false;
  }
  $("compare-own-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const session = UUID.exec($("compare-own").value)?.[0];
    if (!session) {
      $("compare-own-error").textContent = "Paste your own page's address (…/s/<id>/) or its session id.";
      return;
    }
    window.location.assign(`/s/${session}/compare/${viewer}/`);
  });
}

if (viewer) wireViewer();
else wireOwner();
