// Renders the page's TeX with the bundled KaTeX and highlights C# with the bundled highlight.js: no network.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".math").forEach(function (el) {
    var tex = el.textContent.trim();
    var display = el.tagName === "DIV";
    tex = tex.replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "");
    katex.render(tex, el, { displayMode: display, throwOnError: false });
  });
  if (window.hljs) hljs.highlightAll();
});
