// The preview's banner (mkdocs serve only): when the data or templates have problems, every page,
// hand-written ones included, links to the list. The count is fetched, not built into each page,
// so entering or leaving an error state rebuilds no page that did not change. Its words come in
// `data-banner` from the site's message catalogue, `{n}` standing for the count.
(function () {
  var script = document.currentScript;
  var base = script.src.replace(/assets\/aitimeline-preview\.js.*$/, "");
  fetch(base + script.dataset.problems, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : { problems: [] }; })
    .then(function (report) {
      var count = report.problems.length;
      if (!count) return;
      var banner = document.createElement("div");
      banner.className = "at-preview-banner";
      banner.setAttribute("role", "alert");
      var link = document.createElement("a");
      link.href = base + "problems/";
      link.textContent = script.dataset.banner.replace("{n}", count);
      banner.appendChild(link);
      document.body.insertBefore(banner, document.body.firstChild);
    })
    .catch(function () {});
})();
