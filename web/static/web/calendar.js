// The diary calendar: a year of diary entries per day (the page-only diary-days read, once), its
// year chosen by the statistics' year or by its own select.

import * as Charts from "./charts.js";
import { $ } from "./dom.js";
import { diaryDaysUrl, getJson, showError } from "./page.js";

let days = null;
export async function loadCalendar(year) {
  const select = $("calendar-year");
  if (days === null) {
    try {
      days = (await getJson(diaryDaysUrl)).days;
    } catch (error) {
      showError(error);
      return;
    }
    const years = [...new Set(Object.keys(days).map((day) => day.slice(0, 4)))].sort().reverse();
    select.replaceChildren(...years.map((value) => new Option(value, value)));
    select.closest("label").hidden = years.length < 2;
    select.value = openingYear(years);
  }
  if (year && Array.from(select.options).some((option) => option.value === String(year))) select.value = String(year);
  drawCalendar();
}

// All years in view: the calendar opens on the latest year with a real share of the diary, not on
// a year just begun (an export taken in January has a few days of it): the latest year holding at
// least a tenth of the busiest year's entries.
function openingYear(years) {
  const perYear = new Map(years.map((year) => [year, 0]));
  for (const [day, count] of Object.entries(days)) perYear.set(day.slice(0, 4), perYear.get(day.slice(0, 4)) + count);
  const busiest = Math.max(0, ...perYear.values());
  return years.find((year) => perYear.get(year) * 10 >= busiest) || years[0] || "";
}

function drawCalendar() {
  const year = $("calendar-year").value;
  if (!year) Charts.nodata($("chart-calendar"), "No dated diary entries.");
  else Charts.calendar($("chart-calendar"), days, Number(year));
  Charts.fold($("stats"));
}

$("calendar-year").addEventListener("change", drawCalendar);
