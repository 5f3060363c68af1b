// Opens every page of the built site in headless Chromium (Debian's, driven by playwright-core) from a local file
// server and checks what a reader sees: no console errors, every chart drawn (an SVG with traces or its image),
// every math block rendered by KaTeX, no request leaving the machine. Saves a full-page PNG of each page.
//   node browser-test.mjs SITE_DIR SCREENSHOT_DIR        (CHROMIUM=path overrides /usr/bin/chromium)
// Ends with "site browser test: N pages passed, N failed"; exit 1 when any page failed, 2 on bad input.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [siteDir, shotDir] = process.argv.slice(2);
if (!siteDir || !shotDir) { console.error("usage: node browser-test.mjs SITE_DIR SCREENSHOT_DIR"); process.exit(2); }
const root = path.resolve(siteDir);
const pages = fs.existsSync(root) ? fs.readdirSync(root).filter(f => f.endsWith(".html")).sort() : [];
if (pages.length === 0) { console.error(`${root}: no HTML pages (run ./course site first)`); process.exit(2); }
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(executablePath)) { console.error(`${executablePath}: Chromium not found (apt-get install chromium)`); process.exit(2); }
fs.mkdirSync(shotDir, { recursive: true });

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
  ".woff2": "font/woff2", ".ipynb": "application/json" };
const server = http.createServer((req, res) => {
  const file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise(ok => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
let passed = 0, failed = 0;
for (const name of pages) {
  const problems = [];
  const page = await context.newPage();
  page.on("console", m => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", e => problems.push(`page error: ${e.message}`));
  await page.route("**/*", route => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
    problems.push(`outside request: ${url}`);
    return route.abort();
  });
  const missing = [];
  page.on("response", r => { if (r.status() >= 400) missing.push(r.url()); });
  // "load" first: a page whose inline chart scripts keep the parser busy can be network-idle while still loading.
  await page.goto(base + name, { waitUntil: "load", timeout: 120_000 });
  await page.waitForFunction(() => document.readyState === "complete", null, { timeout: 120_000 });
  await page.waitForTimeout(1000); // KaTeX's fonts and the charts' last redraws
  const seen = await page.evaluate(() => {
    const charts = [...document.querySelectorAll(".sslcourse-chart")];
    const drawn = charts.filter(c => c.querySelector("svg.main-svg") &&
      c.querySelectorAll("g.trace, g.hm image, g.imagelayer image, .layer-below image, .layer-above image").length > 0);
    const maths = [...document.querySelectorAll(".math")];
    const rendered = maths.filter(m => m.querySelector(".katex") && !m.querySelector(".katex-error"));
    return { charts: charts.length, drawn: drawn.length, maths: maths.length, rendered: rendered.length,
      undrawn: charts.filter(c => !drawn.includes(c)).map(c => (c.textContent || c.id).slice(0, 120)),
      unrendered: maths.filter(m => !rendered.includes(m)).map(m => m.textContent.slice(0, 80)) };
  });
  for (const u of missing) problems.push(`missing file: ${u}`);
  for (const u of seen.undrawn) problems.push(`chart not drawn: ${u}`);
  for (const u of seen.unrendered) problems.push(`math not rendered: ${u}`);
  await page.screenshot({ path: path.join(shotDir, name.replace(/\.html$/, ".png")), fullPage: true });
  await page.close();
  const ok = problems.length === 0;
  ok ? passed++ : failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}: ${seen.drawn}/${seen.charts} charts drawn, ${seen.rendered}/${seen.maths} math rendered`);
  for (const p of problems) console.log(`  ${p}`);
}
await browser.close();
server.close();
console.log(`site browser test: ${passed} pages passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
