// Opens the chart outputs of notebooks executed by a real kernel (Jupyter's nbclient, or VS Code) in headless
// Chromium with every request blocked, the way VS Code and JupyterLab show them: one page per notebook, each
// text/html output inserted in turn and its scripts run. Checks that every course chart draws an SVG with its data
// from the plotly.js the notebook's first chart carries (nothing from a CDN), that this plotly.js is in exactly one
// output, that an image grid's picture is drawn at its pixel size with its title inside the figure, and that the
// charts still draw when the outputs render in reverse order (a later chart waiting for the first one) and when the
// page has an AMD loader's define() (classic Jupyter's require.js), which plotly.js would otherwise register with.
//   node notebook-charts-test.mjs [--screenshots DIR] NOTEBOOK.ipynb...     (CHROMIUM=path overrides /usr/bin/chromium)
// Prints one line per problem and "notebook charts: N drawn, N failed"; exit 1 when any failed, 2 on bad input.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
let shotDir = null;
if (args[0] === "--screenshots") { shotDir = args[1]; args.splice(0, 2); }
if (args.length === 0 || !args.every(f => fs.existsSync(f))) {
  console.error(`usage: node notebook-charts-test.mjs [--screenshots DIR] NOTEBOOK.ipynb... (${args.find(f => !fs.existsSync(f)) ?? "none given"} not found)`);
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(executablePath)) { console.error(`${executablePath}: Chromium not found (apt-get install chromium)`); process.exit(2); }
if (shotDir) fs.mkdirSync(shotDir, { recursive: true });

const text = v => Array.isArray(v) ? v.join("") : (v ?? "");
const bundleMark = "* plotly.js v";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
let drawn = 0, failed = 0;
for (const file of args) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const outputs = (nb.cells || []).flatMap(c => c.outputs || []).map(o => text(o.data && o.data["text/html"])).filter(h => h.length > 0);
  const charts = outputs.filter(h => h.includes('class="sslcourse-chart"')).length;
  const bundles = outputs.filter(h => h.includes(bundleMark)).length;
  const name = path.basename(file);
  if (charts === 0) { console.log(`${name}: no chart outputs`); failed++; continue; }
  if (bundles !== 1) { console.log(`${name}: plotly.js is in ${bundles} outputs, expected exactly one (the first chart's)`); failed++; }
  for (const order of ["in order", "reversed", "with require.js"]) {
    const problems = [];
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on("pageerror", e => problems.push(`page error: ${e.message.split("\n")[0]}`));
    const blocked = [];
    await page.route("**/*", route => { blocked.push(route.request().url()); return route.abort(); });
    await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
    // An AMD loader's define(), as require.js leaves it: plotly.js's UMD header would call it and set no window.Plotly.
    if (order === "with require.js") await page.evaluate(() => { window.define = function () { window.__amdCalls = (window.__amdCalls || 0) + 1; }; window.define.amd = {}; });
    // As JupyterLab and VS Code do: the output's HTML into a new element, then each script re-created so it runs.
    await page.evaluate(list => {
      for (const html of list) {
        const cell = document.createElement("div");
        cell.className = "output";
        cell.innerHTML = html;
        document.body.appendChild(cell);
        for (const old of [...cell.querySelectorAll("script")]) {
          const s = document.createElement("script");
          for (const a of old.attributes) s.setAttribute(a.name, a.value);
          s.text = old.textContent;
          old.replaceWith(s);
        }
      }
    }, order === "reversed" ? [...outputs].reverse() : outputs);
    try {
      await page.waitForFunction(n => document.querySelectorAll(".sslcourse-chart[data-drawn] svg.main-svg").length >= n, charts, { timeout: 60_000 });
    } catch { /* reported below, chart by chart */ }
    await page.waitForTimeout(300);
    const seen = await page.evaluate(() => [...document.querySelectorAll(".sslcourse-chart")].map(root => {
      const fig = JSON.parse(document.getElementById(root.id + "-figure").textContent);
      const title = (fig.layout.title && fig.layout.title.text) || root.id;
      const svg = root.querySelector("svg.main-svg");
      if (!svg) return { title, problem: `no SVG (${(root.textContent || "").slice(0, 160)})` };
      // Scatter and bar traces draw as g.trace, heatmaps as g.hm holding an image.
      const traces = root.querySelectorAll(".cartesianlayer g.trace, .cartesianlayer g.hm").length;
      const marks = [...root.querySelectorAll(".cartesianlayer g.trace path, .cartesianlayer g.hm image")]
        .filter(e => (e.getAttribute("d") || e.getAttribute("href") || "").length > 2).length;
      const images = [...root.querySelectorAll("g.imagelayer image, .layer-below image, .layer-above image")];
      if (fig.data.length > 0 && (traces < fig.data.length || marks === 0))
        return { title, problem: `${traces} of ${fig.data.length} traces drawn, ${marks} marks` };
      const layoutImages = (fig.layout.images || []).length;
      if (images.length < layoutImages) return { title, problem: `${images.length} of ${layoutImages} layout images drawn` };
      for (const [i, spec] of (fig.layout.images || []).entries()) {
        const r = images[i].getBoundingClientRect();
        if (Math.abs(r.width - spec.sizex) > 1 || Math.abs(r.height - spec.sizey) > 1)
          return { title, problem: `image drawn ${r.width.toFixed(0)}×${r.height.toFixed(0)} px, its pixels are ${spec.sizex}×${spec.sizey}` };
        const t = root.querySelector(".gtitle");
        const box = svg.getBoundingClientRect(), tb = t ? t.getBoundingClientRect() : null;
        if (!tb || tb.left < box.left - 1 || tb.right > box.right + 1 || tb.top < box.top - 1 || tb.bottom > r.top + 1)
          return { title, problem: `title ${tb ? `${tb.left.toFixed(0)}..${tb.right.toFixed(0)} × ${tb.top.toFixed(0)}..${tb.bottom.toFixed(0)}` : "missing"} is not inside the figure (${box.left.toFixed(0)}..${box.right.toFixed(0)} × ${box.top.toFixed(0)}..) above the picture at ${r.top.toFixed(0)}` };
      }
      return { title, problem: null };
    }));
    for (const s of seen) {
      if (s.problem) { problems.push(`chart "${s.title}": ${s.problem}`); failed++; } else drawn++;
    }
    const amdCalls = await page.evaluate(() => window.__amdCalls || 0);
    if (amdCalls > 0) { problems.push(`plotly.js called the page's define() ${amdCalls} time(s)`); failed++; }
    const chartRequests = blocked.filter(u => /plotly/i.test(u));
    if (chartRequests.length > 0) { problems.push(`charts asked the network for ${chartRequests.join(", ")}`); failed++; }
    if (shotDir) await page.screenshot({ path: path.join(shotDir, `${name.replace(/\.ipynb$/, "")}-${order.replace(" ", "-")}.png`), fullPage: true });
    for (const p of problems) console.log(`${name} (${order}): ${p}`);
    const others = blocked.filter(u => !/plotly/i.test(u));
    console.log(`${name} (${order}): ${seen.length - seen.filter(s => s.problem).length}/${seen.length} charts drawn offline` +
      (others.length ? `; the kernel's own outputs asked for ${[...new Set(others.map(u => u.split("?")[0]))].join(", ")} (blocked)` : ""));
    await page.close();
  }
}
await browser.close();
console.log(`notebook charts: ${drawn} drawn, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
