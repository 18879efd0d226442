// The upload box: pick or drop the export, send it to the API, then open the session's page.

import { $ } from "./dom.js";

const form = $("upload-form");
const input = $("upload-files");
const zone = $("dropzone");
const state = $("upload-state");

function show(message, isError) {
  state.textContent = message;
  state.classList.toggle("error", Boolean(isError));
}

async function upload(files) {
  if (!files.length) return;
  const body = new FormData();
  for (const file of files) body.append("files", file, file.name);
  show(`Uploading ${files.length === 1 ? files[0].name : files.length + " files"}…`);
  zone.classList.add("busy");
  let response;
  try {
    response = await fetch(form.action, { method: "POST", body });
  } catch {
    zone.classList.remove("busy");
    show("The server could not be reached. Check that it is running and try again.", true);
    return;
  }
  const answer = await response.json().catch(() => ({}));
  if (response.status === 201 && answer.session_id) {
    show("Uploaded. Opening your statistics…");
    window.location.assign(`/s/${answer.session_id}/`);
    return;
  }
  zone.classList.remove("busy");
  const reason = answer.detail || `The server answered ${response.status}.`;
  show(`That upload did not work: ${reason}`, true);
  input.value = "";
}

input.addEventListener("change", () => upload(Array.from(input.files)));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  upload(Array.from(input.files));
});
for (const name of ["dragenter", "dragover"]) {
  zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
}
for (const name of ["dragleave", "drop"]) {
  zone.addEventListener(name, () => zone.classList.remove("over"));
}
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  upload(Array.from(event.dataTransfer.files));
});
