// Gives every course chart in executed notebooks a static fallback: renders the chart's Plotly figure to PNG in
// headless Chromium (with the bundled plotly.js, offline) and adds it to the same output as image/png, beside the
// interactive text/html. Viewers without JavaScript (GitHub, nbviewer, plain Jupyter without the CDN) show the PNG.
//   node static-charts.mjs NOTEBOOK_DIR        (CHROMIUM=path overrides /usr/bin/chromium)
// Rewrites each notebook atomically; ends with "static charts: N rendered, N failed"; exit 1 if any failed.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) { console.error(`usage: node static-charts.mjs NOTEBOOK_DIR (${dir ?? "none given"} not found)`); process.exit(2); }
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(executablePath)) { console.error(`${executablePath}: Chromium not found (apt-get install chromium)`); process.exit(2); }
const plotlyJs = createRequire(import.meta.url).resolve("plotly.js-dist-min/plotly.min.js");

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const page = await browser.newPage();
await page.route("**/*", route => route.abort()); // nothing leaves the machine
await page.setContent("<html><body></body></html>");
await page.addScriptTag({ path: plotlyJs });

const text = v => Array.isArray(v) ? v.join("") : (v ?? "");
let rendered = 0, failed = 0;
for (const name of fs.readdirSync(dir).filter(f => f.endsWith(".ipynb")).sort()) {
  const file = path.join(dir, name);
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  let changed = false;
  for (const [c, cell] of (nb.cells || []).entries()) {
    for (const output of cell.outputs || []) {
      const html = text(output.data && output.data["text/html"]);
      const m = /<script type="application\/json" id="[^"]+-figure">([\s\S]*?)<\/script>/.exec(html);
      if (!m || !html.includes('class="sslcourse-chart"')) continue;
      try {
        const png = await page.evaluate(async json => {
          const fig = JSON.parse(json);
          const div = document.createElement("div");
          document.body.appendChild(div);
          const url = await Plotly.toImage({ data: fig.data, layout: fig.layout },
            { format: "png", width: fig.layout.width || 900, height: fig.layout.height || 450 });
          Plotly.purge(div); div.remove();
          return url.slice(url.indexOf(",") + 1);
        }, m[1]);
        output.data["image/png"] = png;
        changed = true; rendered++;
      } catch (e) {
        failed++;
        console.log(`  ${name} cell ${c + 1}: ${e.message.split("\n")[0]}`);
      }
    }
  }
  if (changed) {
    const tmp = file + ".tmp";
    fs.writeFileSync(tmp, JSON.stringify(nb, null, 1) + "\n");
    fs.renameSync(tmp, file);
  }
}
await browser.close();
console.log(`static charts: ${rendered} rendered, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
