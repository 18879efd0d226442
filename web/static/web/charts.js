// Charts drawn as plain HTML and SVG from the API's numbers: no library, no inline styles.

import { el, svg } from "./dom.js";

const numberFormat = new Intl.NumberFormat("en");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Replace what a figure shows below its caption.
function fill(figure, content) {
  for (const node of Array.from(figure.children)) {
    if (node.tagName !== "FIGCAPTION") node.remove();
  }
  figure.append(content);
  emptyIf(figure, content.classList.contains("nodata") && content.textContent);
}

export function nodata(figure, message) {
  fill(figure, el("p", { class: "nodata" }, message || "Nothing to show yet."));
}

// A section with nothing to show is marked so with why (`why`, or nothing when it has something):
// fold() then folds it away into one line under its grid instead of an empty box.
export function emptyIf(section, why) {
  section.classList.toggle("empty", Boolean(why));
  section.dataset.why = why || "";
}

// A section's name: its caption or heading, without the "based on" note or a control beside it.
function sectionName(section) {
  const heading = section.querySelector("figcaption, h3, h4");
  const words = heading ? Array.from(heading.childNodes).filter((node) => node.nodeType === Node.TEXT_NODE) : [];
  return words.map((node) => node.textContent).join(" ").trim() || "A section";
}

// Under each grid of `container`, one line naming the sections with nothing to show, and why.
export function fold(container) {
  for (const grid of container.querySelectorAll(".grid")) {
    const empty = Array.from(grid.children).filter((section) => section.classList.contains("empty"));
    let line = grid.nextElementSibling;
    if (!line || !line.classList.contains("folded")) {
      line = el("p", { class: "folded muted" });
      grid.after(line);
    }
    line.replaceChildren();
    empty.forEach((section, index) => {
      if (index) line.append(" · ");
      line.append(el("strong", "", sectionName(section)), `: ${section.dataset.why.replace(/\.$/, "").replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}`);
    });
    line.hidden = !empty.length;
    if (empty.length) line.prepend("Not shown, nothing to draw: ");
  }
}

// A scale's top: the largest value rounded up to 1, 2 or 5 times a power of ten, halved evenly.
function niceTop(largest) {
  if (largest <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(largest));
  const top = [1, 2, 5, 10].map((step) => step * power).find((value) => value >= largest);
  return top % 2 ? top + power : top;
}

// Horizontal bars, one row per item: [{label, value, note}], largest first as given.
export function bars(figure, items, options) {
  const shown = items.slice(0, (options && options.limit) || 12);
  if (!shown.length || !shown.some((item) => item.value > 0)) return nodata(figure, options && options.empty);
  const top = Math.max(...shown.map((item) => item.value));
  const list = el("ol", { class: "bars" });
  for (const item of shown) {
    const row = el("li");
    row.append(el("span", { class: "bar-label", title: item.label }, item.label));
    const track = svg("svg", { class: "bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" });
    track.append(svg("rect", { width: Math.max(0.5, (100 * item.value) / top).toFixed(2), height: 10 }));
    row.append(track, el("span", { class: "bar-value" }, numberFormat.format(item.value)));
    row.append(el("span", { class: "bar-note", title: item.note ? "your average rating" : "" }, item.note || ""));
    list.append(row);
  }
  fill(figure, list);
}

// Vertical columns in order (time, weekdays, half stars): [{label, value, tick}], on a scale from 0
// with a line at its middle and top. Under the columns, every label, or only the items' `tick`s
// (when any item has one: a long axis of time labelled at its years or decades), each under its column.
export function columns(figure, items, options) {
  const empty = options && options.empty;
  if (!items.length || !items.some((item) => item.value > 0)) return nodata(figure, empty);
  const top = niceTop(Math.max(...items.map((item) => item.value)));
  const width = items.length * 10;
  const chart = el("div", { class: "columns" });
  const plot = svg("svg", {
    viewBox: `0 0 ${width} 100`, preserveAspectRatio: "none", role: "img",
    "aria-label": items.map((item) => `${item.label}: ${item.value}`).join(", "),
  });
  for (const y of [0, 50]) {
    plot.append(svg("line", { x1: 0, x2: width, y1: y, y2: y, class: "gridline", "vector-effect": "non-scaling-stroke" }));
  }
  items.forEach((item, index) => {
    const height = item.value ? Math.max(1, (100 * item.value) / top) : 0;
    const rect = svg("rect", { x: index * 10 + 1, y: 100 - height, width: 8, height: height.toFixed(2) });
    rect.append(svg("title", {}, `${item.label}: ${numberFormat.format(item.value)}`));
    plot.append(rect);
  });
  const scale = el("div", { class: "column-scale", "aria-hidden": "true" });
  for (const value of [top, top / 2, 0]) scale.append(el("span", {}, numberFormat.format(value)));
  // Blank labels keep the others under their own columns; a label wider than its column overflows
  // to both sides, centred on it.
  const ticked = items.some((item) => item.tick);
  const every = items.length > 8 ? 2 : 1;
  const labels = el("div", { class: "column-labels", "aria-hidden": "true" });
  items.forEach((item, index) => {
    labels.append(el("span", {}, ticked ? item.tick || "" : index % every ? "" : item.label));
  });
  chart.append(scale, plot, labels);
  fill(figure, chart);
  thinLabels(labels);
}

// Labels too close for the width drawn (a phone's) are thinned, one kept in every two, then
// three..., until none overlaps the next: each label is about 0.6em a character, plus a gap.
function thinLabels(labels) {
  const spans = Array.from(labels.children);
  const width = labels.clientWidth / spans.length; // of one column; 0 while hidden: left as is
  const named = spans.map((span, index) => [index, span.textContent]).filter(([, text]) => text);
  if (!width || named.length < 2) return;
  const em = parseFloat(getComputedStyle(labels).fontSize) || 13;
  const fits = (kept) => kept.every(([index, text], at) => {
    const next = kept[at + 1];
    return !next || (next[0] - index) * width >= (0.6 * em * (text.length + next[1].length)) / 2 + em;
  });
  let every = 1;
  let kept = named;
  while (!fits(kept) && every < named.length) {
    every += 1;
    kept = named.filter((_, at) => at % every === 0);
  }
  const shown = new Set(kept.map(([index]) => index));
  spans.forEach((span, index) => {
    if (!shown.has(index)) span.textContent = "";
  });
}

// Viewings per month from the first to the last month with any, gaps as zero.
export function timeline(figure, months) {
  if (!months.length) return nodata(figure, "No dated diary entries.");
  const counts = new Map(months.map((entry) => [entry.month, entry.viewings]));
  const [firstYear, firstMonth] = months[0].month.split("-").map(Number);
  const [lastYear, lastMonth] = months[months.length - 1].month.split("-").map(Number);
  const items = [];
  for (let year = firstYear, month = firstMonth; year < lastYear || (year === lastYear && month <= lastMonth); ) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    items.push({ label: `${MONTHS[month - 1]} ${year}`, value: counts.get(key) || 0, year, month });
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  // Up to a year: every month; up to two: each quarter; longer: each January (every few years
  // when many). A month starting a year names it, and so does the first.
  const years = lastYear - firstYear + 1;
  const yearsEvery = years > 24 ? 5 : years > 12 ? 2 : 1;
  for (const item of items) {
    if (items.length <= 24) {
      const shown = items.length <= 12 || (item.month - 1) % 3 === 0;
      item.tick = !shown ? "" : item.month === 1 && years > 1 ? item.label : MONTHS[item.month - 1];
    } else {
      item.tick = item.month === 1 && item.year % yearsEvery === 0 ? String(item.year) : "";
    }
  }
  if (items.length <= 24 && years > 1) items[0].tick = items[0].label;
  columns(figure, items);
}

// A year of the diary as a grid of days, weeks as columns (Monday on top), darker = more viewings.
export function calendar(figure, days, year) {
  const cell = 12, gap = 2, left = 26, top = 16;
  const first = new Date(Date.UTC(year, 0, 1));
  const offset = (first.getUTCDay() + 6) % 7; // Monday = 0
  const dayCount = (Date.UTC(year + 1, 0, 1) - first) / 86400000;
  const weeks = Math.ceil((dayCount + offset) / 7);
  const grid = svg("svg", {
    class: "calendar", viewBox: `0 0 ${left + weeks * (cell + gap)} ${top + 7 * (cell + gap)}`,
    role: "img", "aria-label": `Diary entries per day in ${year}`,
  });
  ["Mon", "", "Wed", "", "Fri", "", "Sun"].forEach((name, row) => {
    if (name) grid.append(svg("text", { x: 0, y: top + row * (cell + gap) + cell - 2, class: "axis" }, name));
  });
  let total = 0;
  for (let index = 0; index < dayCount; index++) {
    const date = new Date(first.getTime() + index * 86400000);
    const key = date.toISOString().slice(0, 10);
    const count = days[key] || 0;
    total += count;
    const slot = index + offset;
    const x = left + Math.floor(slot / 7) * (cell + gap), y = top + (slot % 7) * (cell + gap);
    if (date.getUTCDate() === 1) {
      grid.append(svg("text", { x, y: top - 5, class: "axis" }, MONTHS[date.getUTCMonth()]));
    }
    const level = count === 0 ? 0 : Math.min(4, count);
    const rect = svg("rect", { x, y, width: cell, height: cell, rx: 2, class: `day l${level}` });
    rect.append(svg("title", {}, `${key}: ${count} viewing${count === 1 ? "" : "s"}`));
    grid.append(rect);
  }
  // On a phone the year is wider than the screen and scrolls sideways: focusable, so keys scroll it too.
  const wrap = el("div", { class: "calendar-wrap", tabindex: "0", role: "region", "aria-label": `Diary calendar ${year}` });
  wrap.append(grid, el("p", { class: "muted" }, `${numberFormat.format(total)} diary ${total === 1 ? "entry" : "entries"} in ${year}`));
  fill(figure, wrap);
}

export const format = (n) => numberFormat.format(n);
// A month's short name; January names its year too ("Jan 2024"), as an axis of time starts it.
export const monthName = (month, year) => (month === 1 ? `${MONTHS[0]} ${year}` : MONTHS[month - 1]);
