/* aitimeline: search in Material's header over the Pagefind index that the build writes to pagefind/.
   - The box (overrides/partials/search.html) opens on a click, on / s f, and closes on Escape.
   - Results come as you type: kind, date and first sentence of each record, filters by kind, year
     and topic, arrows to move between results, Enter to open one.
   - A query looks up names first (key(), the same word as key() in src/aitimeline/search.py, which
     record pages carry for each name and alias), then the whole text (Pagefind's own search) when
     no name matches or the reader asks for more. Among the first results, a record whose name or
     alias is exactly what was typed comes first.
   - Pagefind (its script, WebAssembly and page list) starts loading when the reader shows the intent
     to search: the pointer over the box or the header's search button, a touch on them, focus, or
     the keys that open the box; not with every page.
   Everything is loaded from this site; no inline script, no eval (only WebAssembly). */
(function () {
  "use strict";

  var ROOT = new URL("..", document.currentScript.src); // this file is <site>/assets/search.js
  var PAGE = 10;
  var RANKING = { termSimilarity: 4, metaWeights: { title: 5, summary: 1, names: 0, kind: 0, date: 0 } };
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;

  var dialog = document.querySelector("[data-at-search]");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  // The words, in the page's language: the message catalogue's `search.script` (overrides/partials/search.html).
  var WORDS = JSON.parse(dialog.getAttribute("data-at-words"));
  var FACETS = ["kind", "year", "topic"].map(function (key) { return [key, WORDS.facets[key]]; });
  var count = function (template) { return function (n) { return template.replace("{n}", n); }; };
  var TEXT = { idle: WORDS.idle, none: WORDS.none, count: count(WORDS.count), names: count(WORDS.names),
               more: WORDS.more, text: WORDS.text, failed: WORDS.failed };
  var form = dialog.querySelector("form");
  var input = form.elements.query;
  var status = dialog.querySelector(".md-search-result__meta");
  var facets = dialog.querySelector(".at-search-filters");
  var facetToggle = dialog.querySelector(".at-search-filter-toggle");
  var output = dialog.querySelector(".md-search-result");
  var list = dialog.querySelector(".md-search-result__list");
  var more = dialog.querySelector(".at-search-more");
  var engine = null;
  var state = { serial: 0, filters: {}, results: [], searches: [], text: false, wantText: false, shown: 0, query: "",
                faceted: false };

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: ROOT.pathname, noWorker: true, ranking: RANKING })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      engine.catch(function () { status.textContent = TEXT.failed; });
    }
    return engine;
  }

  function normal(text) {
    return (String(text || "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).join("");
  }

  /* A name as one word, as key() in src/aitimeline/search.py makes it: letters and digits run
     together after "zy", or, with CJK characters in it, each character as three base-36 digits
     ("z" and four past U+B12F) after "zz". */
  function key(text) {
    var plain = normal(text);
    if (!CJK.test(plain)) return "zy" + plain;
    return "zz" + Array.from(plain).map(function (c) {
      var point = c.codePointAt(0);
      return point < 35 * 36 * 36 ? point.toString(36).padStart(3, "0") : "z" + point.toString(36).padStart(4, "0");
    }).join("");
  }

  function names(data) {
    return (data.meta.names || data.meta.title || "").split(" · ").map(normal);
  }

  /* 0: a name is exactly the query, 1: a name starts with it, 2: anything else. */
  function closeness(data, query) {
    var all = names(data);
    if (all.indexOf(query) >= 0) return 0;
    return all.some(function (name) { return name.indexOf(query) === 0; }) ? 1 : 2;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function item(data) {
    var link = element("a", "md-search-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    var article = element("article", "md-search-result__article md-typeset");
    article.append(element("div", "md-search-result__icon md-icon"), element("div", "at-search-result__title", data.meta.title));
    var info = element("div", "at-search-result__info");
    if (data.meta.kind) info.append(element("span", "at-kind", data.meta.kind));
    if (data.meta.date) info.append(element("span", "at-search-result__date", data.meta.date));
    if (info.childNodes.length) article.append(info);
    article.append(element("p", "at-search-result__text", data.meta.summary || data.plain_excerpt || ""));
    link.append(article);
    var li = element("li", "md-search-result__item");
    li.append(link);
    return li;
  }

  /* Filter buttons for the values found by either search (without counts: the two searches overlap).
     Shown on request only: Pagefind loads the filters' part of the index then, not with every query. */
  function renderFacets(searches) {
    facets.replaceChildren();
    facetToggle.hidden = !state.results.length && !Object.keys(state.filters).length;
    if (!state.faceted) {
      facets.hidden = true;
      return;
    }
    FACETS.forEach(function (facet) {
      var key = facet[0], totals = {};
      searches.forEach(function (search) {
        var counts = search.totalFilters[key] || {};
        Object.keys(counts).forEach(function (v) { totals[v] = Math.max(totals[v] || 0, counts[v]); });
      });
      var values = Object.keys(totals).filter(function (v) { return totals[v] > 0 || state.filters[key] === v; });
      if (values.length < 2 && !state.filters[key]) return;
      values.sort(key === "year" ? undefined : function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); });
      var group = element("div", "at-search-filters__group");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", WORDS.filter_by.replace("{facet}", facet[1]));
      group.append(element("span", "at-search-filters__label", facet[1]));
      values.forEach(function (value) {
        var button = element("button", "", value);
        button.type = "button";
        button.dataset.facet = key;
        button.dataset.value = value;
        button.setAttribute("aria-pressed", String(state.filters[key] === value));
        group.append(button);
      });
      facets.append(group);
    });
    facets.hidden = !facets.childNodes.length;
  }

  /* Render `count` more results, searching the text first if the name matches are all shown. */
  function show(count) {
    var serial = state.serial;
    var next = state.shown < state.results.length || state.text ? Promise.resolve() : searchText(serial);
    return next.then(function () {
      var batch = state.results.slice(state.shown, state.shown + count);
      return Promise.all(batch.map(function (result) { return result.data(); }));
    }).then(function (data) {
      if (serial !== state.serial) return;
      if (state.shown === 0) {
        var query = normal(state.query);
        data = data.map(function (d, i) { return [closeness(d, query), i, d]; })
          .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
          .map(function (entry) { return entry[2]; });
      }
      data.forEach(function (d) { list.append(item(d)); });
      state.shown += data.length;
      more.hidden = state.shown >= state.results.length && state.text;
      more.textContent = state.shown < state.results.length ? TEXT.more : TEXT.text;
    });
  }

  function options() {
    var filters = {};
    Object.keys(state.filters).forEach(function (key) { filters[key] = [state.filters[key]]; });
    return { filters: filters };
  }

  /* The results whose names the query starts or starts a part of (see key()). */
  function searchNames(serial) {
    var name = normal(state.query) && key(state.query);
    return load().then(function (pagefind) {
      if (!name) return null;
      // Pagefind loads the part of the index that holds a word; the names that start with it may
      // run on into the next part, which the last possible such name ("…zzzzz") brings in.
      return pagefind.preload(name + "zzzzz", options()).then(function () { return pagefind.search(name, options()); });
    }).then(function (search) {
      // A query that no name begins may still be matched by a name that begins it (Pagefind falls
      // back to the longest word the query starts with): only names that hold the query count.
      var query = normal(state.query);
      return search && Promise.all(search.results.slice(0, PAGE).map(function (r) { return r.data(); })).then(function (data) {
        return data.some(function (d) { return names(d).some(function (n) { return n.indexOf(query) >= 0; }); }) ? search : null;
      });
    }).then(function (search) {
      if (serial !== state.serial) return;
      state.searches = search ? [search] : [];
      state.results = search ? search.results.slice() : [];
    });
  }

  /* The results over the whole text, after the name matches. Run when no name matches, or when the
     reader asks for more: a text query loads the part of the index that holds each of its words,
     much of the index for common words on a large site. */
  function searchText(serial) {
    return load().then(function (pagefind) {
      return pagefind.search(state.query, options());
    }).then(function (search) {
      if (serial !== state.serial) return;
      var seen = {};
      state.results.forEach(function (result) { seen[result.id] = true; });
      search.results.forEach(function (result) { if (!seen[result.id]) state.results.push(result); });
      state.searches.push(search);
      state.text = true;
      report();
    });
  }

  function report() {
    var n = state.results.length;
    status.textContent = !n ? TEXT.none : state.text ? TEXT.count(n) : TEXT.names(n);
    renderFacets(state.searches);
  }

  function run() {
    var serial = ++state.serial, query = input.value.trim();
    state.query = query;
    state.text = false;
    if (!query) {
      state.results = [];
      list.replaceChildren();
      facets.hidden = more.hidden = facetToggle.hidden = true;
      status.textContent = TEXT.idle;
      output.setAttribute("aria-busy", "false");
      return Promise.resolve();
    }
    output.setAttribute("aria-busy", "true");
    return searchNames(serial).then(function () {
      if (serial !== state.serial) return;
      state.shown = 0;
      list.replaceChildren();
      return (state.results.length && !state.wantText ? Promise.resolve(report()) : searchText(serial)).then(function () {
        return show(PAGE);
      });
    }).catch(function () {
      if (serial === state.serial) status.textContent = TEXT.failed;
    }).then(function () {
      if (serial === state.serial) output.setAttribute("aria-busy", "false");
    });
  }

  function editable(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function setOpen(open) {
    if (toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change")); // Material locks the page's scrolling on small screens
  }

  function open() {
    setOpen(true);
    input.focus();
    load();
  }

  function close() {
    setOpen(false);
    input.blur();
  }

  /* Focus moves between the box and the result links, as in Material's own search. */
  function move(step) {
    var stops = [input].concat(Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")));
    var at = stops.indexOf(document.activeElement);
    var next = stops[Math.max(0, Math.min(stops.length - 1, at + step))];
    next.focus();
    if (next !== input) next.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (toggle.checked) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && dialog.contains(document.activeElement)) {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      }
    } else if ((event.key === "/" || event.key === "s" || event.key === "f") && !editable(event.target)) {
      event.preventDefault();
      open();
    }
  });

  input.addEventListener("focus", function () { setOpen(true); load(); });
  document.querySelectorAll(".md-search__form, label[for=__search]").forEach(function (target) {
    ["pointerenter", "pointerdown"].forEach(function (type) {
      target.addEventListener(type, function () { load(); }, { once: true, passive: true });
    });
  });
  function retype(event) {
    if (event.isComposing) return;
    state.wantText = false;
    run();
  }

  input.addEventListener("input", retype);
  input.addEventListener("compositionend", retype);
  toggle.addEventListener("change", function () {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("reset", function () {
    state.filters = {};
    window.setTimeout(function () { run(); input.focus(); });
  });
  facets.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var key = button.dataset.facet;
    if (state.filters[key] === button.dataset.value) delete state.filters[key];
    else state.filters[key] = button.dataset.value;
    run();
  });
  more.addEventListener("click", function () {
    state.wantText = state.wantText || state.shown >= state.results.length;
    output.setAttribute("aria-busy", "true");
    show(PAGE).then(function () { output.setAttribute("aria-busy", "false"); });
  });
  facetToggle.addEventListener("click", function () {
    state.faceted = !state.faceted;
    facetToggle.setAttribute("aria-expanded", String(state.faceted));
    if (!state.faceted) state.filters = {};
    (state.faceted ? load().then(function (pagefind) { return pagefind.filters(); }) : Promise.resolve()).then(run);
  });
})();
