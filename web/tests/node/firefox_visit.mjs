// A user's visit in Firefox (Debian's firefox-esr, headless, over WebDriver BiDi): upload an export on
// the home page, follow the enrichment to its end, look at the statistics, switch the year, open a film,
// see the watchlist looked up and watch next, delete the session. Prints what the page showed as JSON on stdout; web/tests/test_firefox.py judges it.
//
//   node firefox_visit.mjs <base url> <export zip> [<screenshot directory>]
import puppeteer from "puppeteer-core";

const [base, zipPath, shots] = process.argv.slice(2);
const FIREFOX = process.env.FIREFOX_PATH || "/usr/bin/firefox-esr";
const seen = { errors: [], requests: [], progress: [] };

// Polled from here: the page's strict CSP (script-src 'self') leaves no room for injected wait helpers.
async function until(page, what, read, test, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let value;
  while (Date.now() < end) {
    value = await page.evaluate(read);
    if (test(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(value)}`);
}

const text = (page, selector) => page.$eval(selector, (element) => element.textContent.trim());
const count = (page, selector) => page.$$eval(selector, (elements) => elements.length);

async function screenshot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

async function visit(page) {
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${base}/`, { waitUntil: "load" });
  seen.heading = await text(page, "h1");
  await screenshot(page, "home");

  const input = await page.$("#upload-files");
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), input.uploadFile(zipPath)]);
  seen.sessionUrl = page.url();

  // Progress, reading by reading, until the page says the enrichment completed.
  await until(page, "the enrichment to complete", () => {
    const state = document.querySelector("#progress").dataset.state;
    return { state, text: document.querySelector("#progress-text").textContent };
  }, (reading) => {
    if (seen.progress.at(-1) !== reading.text) seen.progress.push(reading.text);
    return reading.state === "completed";
  }, 60_000);
  seen.progressText = await text(page, "#progress-text");

  // The statistics, once drawn.
  await until(page, "the TMDB charts", () => document.querySelectorAll("#chart-genres .bars li").length, Boolean);
  seen.totals = await text(page, "#totals");
  seen.tmdbBasis = await text(page, "#tmdb-basis");
  seen.bars = {};
  for (const chart of ["genres", "directors", "actors", "countries", "languages"]) {
    seen.bars[chart] = await count(page, `#chart-${chart} .bars li`);
  }
  seen.columns = {};
  for (const chart of ["watches-by-month", "watches-by-year", "weekday", "ratings", "decades"]) {
    seen.columns[chart] = await count(page, `#chart-${chart} svg rect[height]:not([height='0'])`);
  }
  seen.calendarDays = await count(page, "#chart-calendar rect.day:not(.l0)");
  seen.calendar = [await text(page, "#chart-calendar")];
  await page.select("#calendar-year", "2022");
  seen.calendar.push(await text(page, "#chart-calendar"));
  await screenshot(page, "statistics");

  // The year selector reads the analytics of that year.
  seen.yearPicker = await page.$eval("#year-picker", (label) => !label.hidden);
  if (seen.yearPicker) {
    const answer = page.waitForResponse((response) => response.url().includes("/analytics?year=2022"));
    await page.select("#year-select", "2022");
    seen.yearAnswer = (await answer).status();
    seen.cardSrc = await until(page, "the card of 2022", () => document.querySelector("#card-image").src,
      (src) => new URL(src).searchParams.get("year") === "2022");
    seen.cardWidth = await until(page, "the card picture", () => {
      const image = document.querySelector("#card-image");
      return image.complete ? image.naturalWidth : -1;
    }, (width) => width >= 0);
  }

  // A phone's width: nothing sticks out sideways.
  await page.setViewport({ width: 390, height: 844 });
  seen.phoneScrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  await screenshot(page, "phone");
  await page.setViewport({ width: 1280, height: 900 });

  // The film list; one film opened.
  seen.filmCount = await until(page, "the film list", () => document.querySelector("#film-count").textContent,
    (value) => /films?$/.test(value));
  await page.click("#film-list details summary");
  seen.filmOpened = await until(page, "the film to open", () => {
    const body = document.querySelector("#film-list details[open] .film-body");
    return body ? body.getBoundingClientRect().height : 0;
  }, (height) => height > 0);
  seen.tmdbLink = await page.$eval("#film-list details[open] .film-body", (body) => {
    const link = Array.from(body.querySelectorAll("a")).find((a) => a.textContent === "On TMDB");
    return link ? link.href : null;
  });

  // The watchlist, looked up in idle time: watch next with its reasons, and the runtime filter.
  seen.watchlist = await until(page, "the watchlist to be looked up", () => {
    const section = document.querySelector("#watchlist");
    if (section.hidden) return null;
    return { pending: section.dataset.pending, progress: document.querySelector("#watchlist-progress").textContent };
  }, (value) => value !== null && value.pending === "0", 60_000);
  seen.watchNext = await count(page, "#list-watch-next > li");
  seen.watchNextReason = await text(page, "#list-watch-next > li .reasons li");
  const short = page.waitForResponse((response) => response.url().includes("max_runtime=99"));
  await page.select("#watch-next-runtime", "99");
  seen.shortAnswer = (await short).status();
  await screenshot(page, "watchlist");

  // A read-only link: created, opened (nothing there can delete or correct), then "compare with mine".
  await page.click("#share-create");
  seen.shareUrl = await until(page, "the share link", () => document.querySelector("#share-url").value, Boolean);
  const ownPage = page.url();
  await page.goto(seen.shareUrl, { waitUntil: "load" });
  seen.shared = await until(page, "the shared statistics", () => ({
    films: document.querySelector("#film-count")?.textContent || "",
    ownerOnly: ["#delete-open", "#matches", "#share-create", "a[href*='/export']"]
      .filter((selector) => { const found = document.querySelector(selector); return found && found.offsetParent; }),
  }), (value) => /films?$/.test(value.films));
  await page.waitForSelector("#compare-mine-link", { visible: true });
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.click("#compare-mine-link")]);
  seen.compareUrl = page.url();
  seen.compare = await until(page, "the comparison", () => ({
    score: document.querySelector("#score").textContent,
    inCommon: document.querySelectorAll("#list-in-common > li").length,
    taste: document.querySelectorAll("#taste-grid table").length,
  }), (value) => /^\d+ \/ 100$/.test(value.score));
  await screenshot(page, "compare");
  await page.goto(ownPage, { waitUntil: "load" });

  // Delete, confirmed.
  await page.click("#delete-open");
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.click("#delete-yes")]);
  seen.afterDelete = { url: page.url(), notice: await text(page, ".notice") };
}

const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true });
try {
  seen.browser = await browser.version();
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  page.on("request", (request) => seen.requests.push(request.url()));
  page.on("console", (message) => message.type() === "error" && seen.errors.push(message.text()));
  page.on("pageerror", (error) => seen.errors.push(String(error)));
  try {
    await visit(page);
  } catch (error) {
    seen.failure = String(error.stack || error);
    await screenshot(page, "failure").catch(() => {});
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen));
