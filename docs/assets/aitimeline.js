/* aitimeline: progressive enhancement. Without it every page still shows all its content.
   - Year timelines ([data-at-timeline]) get their filter bars ([data-at-filter="<name>"]): by importance
     (?show=important: milestones and major events) and by topic (?topic=chips). Both apply together.
   - Index tables ([data-at-index]) become sortable (vendored Tablesort) and get a text filter.
   - Keyboard: a table that scrolls sideways can be reached with Tab; Space works where Enter does. */
(function () {
  "use strict";

  // Whether an event passes a filter set to a value; the value "" lets every event pass.
  var MATCHES = {
    show: function (event) { return Boolean(event.dataset.importance); },
    topic: function (event, topic) { return event.dataset.topics.split(" ").indexOf(topic) >= 0; }
  };

  function press(bar, value) {
    var name = bar.dataset.atFilter;
    bar.querySelectorAll("button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset[name] === value));
    });
  }

  function filterTimeline(timeline, bars) {
    var url = new URL(window.location.href);
    var wanted = bars.map(function (bar) {
      var name = bar.dataset.atFilter;
      var value = bar.querySelector('button[aria-pressed="true"]').dataset[name];
      if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
      return { match: MATCHES[name], value: value };
    });
    timeline.querySelectorAll(".at-event").forEach(function (event) {
      event.hidden = !wanted.every(function (f) { return f.value === "" || f.match(event, f.value); });
    });
    var counts = {};
    timeline.querySelectorAll(".at-month").forEach(function (month) {
      var shown = month.querySelectorAll(".at-event:not([hidden])").length;
      counts[month.dataset.month] = shown;
      month.classList.toggle("at-month--empty", shown === 0);
    });
    var peak = Math.max.apply(null, Object.values(counts).concat(1));
    document.querySelectorAll(".at-months a").forEach(function (link) {
      var n = counts[link.dataset.month] || 0;
      link.style.setProperty("--h", (n / peak).toFixed(2));
      link.title = link.title.replace(/\d+ 个事件/, n + " 个事件");
    });
    window.history.replaceState(null, "", url);
  }

  function enhanceTimeline(timeline) {
    if (timeline.dataset.atReady) return;
    timeline.dataset.atReady = "1";
    var bars = Array.prototype.filter.call(document.querySelectorAll("[data-at-filter]"), function (bar) {
      return MATCHES[bar.dataset.atFilter];
    });
    var params = new URLSearchParams(window.location.search);
    bars.forEach(function (bar) {
      var name = bar.dataset.atFilter;
      var linked = params.get(name);
      if (linked && bar.querySelector("button[data-" + name + '="' + CSS.escape(linked) + '"]')) press(bar, linked);
      bar.hidden = false;
      bar.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        press(bar, button.dataset[name]);
        filterTimeline(timeline, bars);
      });
    });
    if (bars.some(function (bar) { return params.has(bar.dataset.atFilter); })) filterTimeline(timeline, bars);
  }

  function enhanceTable(table) {
    if (table.dataset.atReady) return;
    table.dataset.atReady = "1";
    if (window.Tablesort) new window.Tablesort(table);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var input = document.createElement("input");
    input.type = "search";
    input.className = "at-table-filter";
    input.placeholder = "筛选表格（名称、机构、年份…）";
    input.setAttribute("aria-label", "筛选表格");
    var count = document.createElement("span");
    count.className = "at-table-count";
    count.setAttribute("aria-live", "polite");
    var box = document.createElement("div");
    box.className = "at-table-tools";
    box.append(input, count);
    (table.closest(".md-typeset__scrollwrap") || table).before(box);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
        if (!row.hidden) shown++;
      });
      count.textContent = words.length ? shown + " / " + rows.length : "";
    });
  }

  function headingBefore(node) {
    for (var el = node.closest(".md-typeset > *"); el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) {
        return Array.prototype.filter.call(el.childNodes, function (child) {
          return !(child.classList && child.classList.contains("headerlink"));
        }).map(function (child) { return child.textContent; }).join("").trim();
      }
    }
    return "";
  }

  /* Material wraps each table in a scroller; one wider than the page becomes a named region in the Tab order. */
  function markScroller(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth && getComputedStyle(wrap).overflowX !== "visible";
    if (scrolls === wrap.hasAttribute("tabindex")) return;
    if (scrolls) {
      var caption = wrap.querySelector("caption");
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", (caption ? caption.textContent : headingBefore(wrap)) || "表格");
    } else {
      ["tabindex", "role", "aria-label"].forEach(function (name) { wrap.removeAttribute(name); });
    }
  }

  function markScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(markScroller);
  }

  /* Material's search dialog has no name of its own: it takes its search box's. */
  function nameDialogs() {
    document.querySelectorAll(".md-header [role=dialog]:not([aria-label]):not([aria-labelledby])").forEach(function (dialog) {
      var input = dialog.querySelector("input[aria-label]");
      if (input) dialog.setAttribute("aria-label", input.getAttribute("aria-label"));
    });
  }

  /* Sortable headers (Tablesort) and the palette switch (Material) act on Enter; Space does the same. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || !event.target.matches("th[tabindex], [data-md-component=palette] input")) return;
    event.preventDefault();
    event.target.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  });
  window.addEventListener("resize", markScrollers);

  function init() {
    document.querySelectorAll("[data-at-timeline]").forEach(enhanceTimeline);
    document.querySelectorAll("table[data-at-index]").forEach(enhanceTable);
    markScrollers();
    nameDialogs();
  }

  if (window.document$) window.document$.subscribe(init); else init();
})();
