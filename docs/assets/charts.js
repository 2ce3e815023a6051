/* aitimeline charts, on the pages that have one (overrides/main.html): every .at-chart is drawn from its
   JSON (the link .at-chart__json, written at build time by src/aitimeline/charts.py) with the vendored
   Apache ECharts (assets/vendor/echarts/), loaded once the first chart comes near the screen.
   - Hover over or tap a point: its name and its lines (date, value…), always as text, never as HTML.
   - Click a point: its page; on a touch screen the first tap shows the point and a second opens it.
   - The legend (wrapped across the width) hides and shows series; a slider under a date axis narrows the dates.
   - Only the largest points carry a name, as many as the width allows and never overlapping.
   - The palette follows Material's, light or dark, as the reader switches it.
   Without JavaScript the caption and the data table stand for the chart. */
(function () {
  "use strict";

  var LIBRARY = new URL("vendor/echarts/echarts.common.min.js", document.currentScript.src).href;
  var COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];
  var OTHER = "#9e9e9e";
  var NARROW = 600; // px: below it, shorter panels and fewer labels
  var ROW = 24; // px per row of a category axis
  var LEGEND_ROW = 24; // px per row of the legend, which wraps
  var LEGEND_GAP = 10;
  var measure = document.createElement("canvas").getContext("2d");
  var loading = null;
  var charts = [];

  function library() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = LIBRARY;
        script.addEventListener("load", function () { resolve(window.echarts); });
        script.addEventListener("error", reject);
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  /* A tooltip: the point's name, then its lines, as text nodes. */
  function tip(params) {
    var point = params.data && params.data.p;
    if (!point) return "";
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = point.name;
    box.appendChild(name);
    point.lines.forEach(function (line) {
      var div = document.createElement("div");
      div.textContent = line;
      box.appendChild(div);
    });
    return box;
  }

  function axis(spec, index, vertical) {
    var option = { type: spec.type, gridIndex: index, name: vertical ? spec.name || "" : "",
                   nameTextStyle: { align: "left" }, axisLabel: { hideOverlap: true }, splitLine: { show: vertical } };
    if (spec.type === "category") {
      option.data = spec.values;
      option.inverse = vertical; // the first row at the top
    } else if (spec.type === "log") {
      option.logBase = 10;
      option.axisLabel.formatter = function (value) {
        return spec.ticks[String(Math.round(Math.log10(value)))] || "";
      };
    } else if (spec.type === "time") {
      option.axisLabel.formatter = spec.ticks;
    }
    return option;
  }

  /* How many rows the legend wraps into at this width: as ECharts lays it out, item after item. */
  function legendRows(names, width, size) {
    measure.font = size + "px sans-serif";
    var rows = 1, used = 0;
    names.forEach(function (name) {
      var item = 14 + 5 + measure.measureText(name).width + 4 + LEGEND_GAP; // icon, gap, text, slack
      if (used && used + item > width) { rows += 1; used = 0; }
      used += item;
    });
    return rows;
  }

  /* How many points may carry their name at this width. */
  function labels(width) {
    return Math.max(3, Math.floor(width / 80));
  }

  /* Name the largest points shown, as many as the width allows: each name right of its point, or
     left of it at the plot's edge, and never over another name or outside the plot. */
  function placeLabels(chart, list, width) {
    var ranked = [];
    var selected = chart.getOption().legend[0].selected || {};
    list.forEach(function (s, index) {
      if (s.type !== "scatter" || selected[s.name] === false) return;
      s.data.forEach(function (item) {
        if (item.p.rank) ranked.push({ index: index, item: item });
        if (item.p.rank) item.label.show = false;
      });
    });
    ranked.sort(function (a, b) { return a.item.p.rank - b.item.p.rank; });
    var taken = [];
    var left = labels(width);
    measure.font = "11px sans-serif";
    ranked.forEach(function (entry) {
      if (!left) return;
      var at = chart.convertToPixel({ seriesIndex: entry.index }, entry.item.value);
      if (!at || !chart.containPixel({ seriesIndex: entry.index }, at)) return;
      var w = measure.measureText(entry.item.p.label).width + 2;
      var sides = [["right", at[0] + 8], ["left", at[0] - 8 - w]];
      for (var i = 0; i < sides.length; i++) {
        var box = { x: sides[i][1], y: at[1] - 8, w: w, h: 16 };
        var inside = chart.containPixel({ seriesIndex: entry.index }, [box.x, box.y]) &&
                     chart.containPixel({ seriesIndex: entry.index }, [box.x + box.w, box.y + box.h]);
        var free = taken.every(function (t) {
          return box.x > t.x + t.w || t.x > box.x + box.w || box.y > t.y + t.h || t.y > box.y + box.h;
        });
        if (inside && free) {
          taken.push(box);
          entry.item.label.show = true;
          entry.item.label.position = sides[i][0];
          left -= 1;
          return;
        }
      }
    });
    chart.setOption({ series: list.map(function (s) { return { data: s.data }; }) });
  }

  function series(plot, spec, index, colour) {
    var linked = spec.points.some(function (p) { return p.url; });
    var option = { name: spec.name, xAxisIndex: index, yAxisIndex: index, color: colour,
                   cursor: linked ? "pointer" : "default" };
    if (plot.kind === "bar") {
      var at = {};
      spec.points.forEach(function (p) { at[p.x] = p; });
      option.type = "bar";
      option.stack = "panel" + index;
      option.barMaxWidth = 48;
      option.data = plot.x.values.map(function (x) { return at[x] ? { value: at[x].y, p: at[x] } : "-"; });
      return option;
    }
    var peak = Math.max.apply(null, spec.points.map(function (p) { return p.size || 0; }).concat(1));
    option.type = "scatter";
    option.symbolSize = function (value, params) {
      var size = params.data.p.size;
      return size ? 10 + 26 * Math.sqrt(size / peak) : 9;
    };
    option.itemStyle = { opacity: 0.85 };
    option.emphasis = { scale: 1.5 };
    option.data = spec.points.map(function (p) {
      return { value: [p.x, p.y], p: p, label: { show: Boolean(p.label) && !p.rank, formatter: p.label || "",
                                                position: p.size ? "inside" : "right", fontSize: 11 } };
    });
    return option;
  }

  /* The chart's options at a width, and the height it needs. */
  function options(plot, width) {
    var narrow = width < NARROW;
    var colour = {};
    var count = 0;
    plot.panels.forEach(function (panel) {
      panel.series.forEach(function (s) {
        if (!(s.name in colour)) colour[s.name] = s.other ? OTHER : COLOURS[count++ % COLOURS.length];
      });
    });
    var names = Object.keys(colour).sort(function (a, b) { return (colour[a] === OTHER) - (colour[b] === OTHER); });
    var size = narrow ? 11 : 12;
    var top = names.length > 1 ? legendRows(names, width, size) * LEGEND_ROW + 8 : 8;
    var grids = [], xAxes = [], yAxes = [], list = [], titles = [];
    plot.panels.forEach(function (panel, i) {
      if (panel.title) {
        titles.push({ text: panel.title, top: top, left: 0, textStyle: { fontSize: 13 } });
        top += 28;
      }
      if (panel.y.name) top += 24;
      var height = panel.y.type === "category" ? panel.y.values.length * ROW + 30 : narrow ? 240 : 300;
      grids.push({ top: top, height: height, left: 4, right: narrow ? 8 : 24, containLabel: true });
      xAxes.push(axis(plot.x, i, false));
      yAxes.push(axis(panel.y, i, true));
      panel.series.forEach(function (s) { list.push(series(plot, s, i, colour[s.name])); });
      top += height + 16;
    });
    var zoom = [];
    if (plot.zoom) {
      zoom.push({ type: "slider", xAxisIndex: xAxes.map(function (a, i) { return i; }), filterMode: "none",
                  top: top, height: 24, left: 16, right: 16, showDetail: false, brushSelect: false });
      top += 40;
    }
    return {
      height: top,
      option: {
        backgroundColor: "transparent",
        animation: false,
        title: titles,
        legend: { show: names.length > 1, top: 0, left: 0, right: 0, data: names, itemGap: LEGEND_GAP,
                  itemWidth: 14, itemHeight: 14, textStyle: { fontSize: size } },
        tooltip: { trigger: "item", confine: true, className: "at-chart__tip", formatter: tip },
        grid: grids, xAxis: xAxes, yAxis: yAxes, series: list, dataZoom: zoom
      }
    };
  }

  function draw(figure, echarts) {
    var box = figure.querySelector(".at-chart__plot");
    var source = figure.querySelector("a.at-chart__json");
    if (!box || !source) return;
    var root = new URL("../../", source.href); // the JSON is at <root>/assets/charts/<id>.json
    fetch(source.href).then(function (response) {
      if (!response.ok) throw new Error(response.statusText);
      return response.json();
    }).then(function (plot) {
      box.hidden = false;
      var hint = figure.querySelector(".at-chart__hint");
      if (hint) hint.hidden = false;
      var width = box.clientWidth;
      var built = options(plot, width);
      box.style.height = built.height + "px";
      var chart = echarts.init(box, dark() ? "dark" : null,
                               { renderer: "svg", locale: document.documentElement.lang === "zh" ? "ZH" : "EN" });
      chart.setOption(built.option);
      var relabel = function () { placeLabels(chart, built.option.series, width); };
      relabel();
      chart.on("datazoom", relabel);
      chart.on("legendselectchanged", relabel);
      charts.push({ chart: chart, relabel: relabel });
      var armed = null;
      chart.on("click", function (params) {
        var point = params.data && params.data.p;
        if (!point || !point.url) return;
        var event = params.event && params.event.event;
        if (event && (event.pointerType === "touch" || /^touch/.test(event.type)) && armed !== point) {
          armed = point; // the first tap shows the point's tooltip
          return;
        }
        window.location.href = new URL(point.url, root).href;
      });
      new ResizeObserver(function () {
        if (box.clientWidth === width) return;
        width = box.clientWidth;
        built = options(plot, width);
        box.style.height = built.height + "px";
        chart.resize();
        chart.setOption(built.option);
        relabel();
      }).observe(box);
    }).catch(function () {
      box.hidden = true; // the caption and the table remain
    });
  }

  function init() {
    var figures = document.querySelectorAll(".at-chart");
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting || entry.target.dataset.atReady) return;
        entry.target.dataset.atReady = "1";
        watcher.unobserve(entry.target);
        library().then(function (echarts) { draw(entry.target, echarts); }, function () {});
      });
    }, { rootMargin: "300px 0px" });
    figures.forEach(function (figure) { watcher.observe(figure); });
  }

  new MutationObserver(function () {
    var theme = dark() ? "dark" : "default";
    charts.forEach(function (drawn) {
      drawn.chart.setTheme(theme);
      drawn.relabel(); // a new theme draws the chart anew, without the names placed on it
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  if (window.document$) window.document$.subscribe(init); else init();
})();
