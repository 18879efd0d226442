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
  figure.classList.toggle("empty", content.classList.contains("nodata"));
}

export function nodata(figure, message) {
  fill(figure, el("p", { class: "nodata" }, message || "Nothing to show yet."));
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

// Vertical columns in order (time, weekdays, half stars): [{label, value}]; `ticks` labels to show under.
export function columns(figure, items, ticks) {
  if (!items.length || !items.some((item) => item.value > 0)) return nodata(figure);
  const top = Math.max(...items.map((item) => item.value));
  const width = items.length * 10;
  const chart = el("div", { class: "columns" });
  const plot = svg("svg", {
    viewBox: `0 0 ${width} 100`, preserveAspectRatio: "none", role: "img",
    "aria-label": items.map((item) => `${item.label}: ${item.value}`).join(", "),
  });
  items.forEach((item, index) => {
    const height = item.value ? Math.max(1, (96 * item.value) / top) : 0;
    const rect = svg("rect", { x: index * 10 + 1, y: 100 - height, width: 8, height: height.toFixed(2) });
    rect.append(svg("title", {}, `${item.label}: ${numberFormat.format(item.value)}`));
    plot.append(rect);
  });
  const labels = el("div", { class: "column-labels" + (ticks ? " spread" : "") });
  // Crowded axes label every other column; the blanks keep the rest under their columns.
  const every = items.length > 8 ? 2 : 1;
  const shown = ticks || items.map((item, index) => (index % every ? "" : item.label));
  for (const label of shown) labels.append(el("span", {}, label));
  chart.append(el("span", { class: "column-top" }, numberFormat.format(top)), plot, labels);
  fill(figure, chart);
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
    items.push({ label: `${MONTHS[month - 1]} ${year}`, value: counts.get(key) || 0 });
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  const ticks = items.length > 1 ? [items[0].label, items[items.length - 1].label] : [items[0].label];
  columns(figure, items, ticks);
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
  wrap.append(grid, el("p", { class: "muted" }, `${numberFormat.format(total)} diary entries in ${year}`));
  fill(figure, wrap);
}

export const format = (n) => numberFormat.format(n);
