// Lighthouse over several pages in ONE Chromium, one run after the other (tests/test_lighthouse.py).
//
// Usage: node audit.mjs NODE_MODULES JOBS_JSON
//   NODE_MODULES  the folder `make test-deps` installed from package-lock.json (tests/.deps/lighthouse/node_modules)
//   JOBS_JSON     [{"name": …, "url": …, "device": "mobile" | "desktop"}, …]
// Prints one JSON object to stdout: {name: {scores: {category: 0..100}, failed: [{id, title, items}], …}}.
// Chromium is $CHROME_PATH, started with the flags every browser test uses.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, jobsFile] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const { default: lighthouse } = await load("lighthouse/core/index.js");
const { default: desktopConfig } = await load("lighthouse/core/config/desktop-config.js");
const chromeLauncher = await load("chrome-launcher/dist/index.js");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run"];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const jobs = JSON.parse(readFileSync(jobsFile, "utf-8"));
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: FLAGS });
const out = {};
try {
  for (const job of jobs) {
    const config = job.device === "desktop" ? desktopConfig : undefined;
    const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES };
    const { lhr } = await lighthouse(job.url, flags, config);
    const scores = {};
    for (const [id, cat] of Object.entries(lhr.categories)) scores[id] = Math.round(cat.score * 100);
    const failed = [];
    for (const [id, cat] of Object.entries(lhr.categories)) {
      for (const ref of cat.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative") {
          const items = ((audit.details && audit.details.items) || []).slice(0, 5).map(
            (it) => (it.node && it.node.snippet) || it.url || it.source || JSON.stringify(it).slice(0, 200));
          failed.push({ category: id, id: ref.id, title: audit.title, score: audit.score, items });
        }
      }
    }
    const notes = {};
    for (const id of ["unused-javascript", "unused-css-rules", "unminified-css", "unminified-javascript"]) {
      const audit = lhr.audits[id];
      if (audit && audit.details && audit.details.items) {
        notes[id] = audit.details.items.map((it) => ({ url: it.url, wastedBytes: it.wastedBytes, totalBytes: it.totalBytes }));
      }
    }
    out[job.name] = { url: job.url, device: job.device, scores, failed, notes, runtimeError: lhr.runtimeError || null,
      warnings: lhr.runWarnings };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(out));
