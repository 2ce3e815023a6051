"""The charts: planned from the catalog as one JSON per chart (reproducible, in the page's language, every
point linked to its page), and drawn by the vendored ECharts on the real site in headless Chromium at
1280 and 390 px, where a reader hovers, taps, clicks and filters; without JavaScript the table stands in."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from aitimeline.catalog import build_catalog
from aitimeline.charts import COUNTRIES, TOP, plan_charts, plot_json, sector
from aitimeline.i18n import LANGUAGES, Messages, has_cjk
from aitimeline.pipeline import check
from conftest import ROOT, serve, skip_without_browser, until

LIBRARY = "assets/vendor/echarts/echarts.common.min.js"
GLUE = "assets/charts.js"
BUDGET = 400_000  # bytes of chart code, gzip-compressed
WIDTHS = [1280, 390]
PLOT = r'<div aria-labelledby="(at-chart-[a-z-]+)" class="at-chart__plot" hidden="hidden" role="img">'
GPT3 = {"zh": ("GPT-3", "2020年5月", "1750亿参数"), "en": ("GPT-3", "May 2020", "175 billion parameters")}


def charts_of(root: Path, language: str = "zh"):
    dataset, problems = check(root / "data", root)
    assert problems == []
    catalog = build_catalog(dataset)
    return catalog, plan_charts(catalog, Messages(language))


def points(plot: dict):
    """(series name, point) of every point of a plot."""
    return [(s["name"], p) for panel in plot["panels"] for s in panel["series"] for p in s["points"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_chart_is_one_json_with_alt_text_and_its_table(dataset: Path, language: str):
    catalog, charts = charts_of(dataset, language)
    assert set(charts) == {"model-parameters", "parameters-by-country", "open-weights-per-year", "chips-per-year",
                           "chips-by-vendor", "events-per-topic", "funding-per-sector"}
    pages = {r.src_uri.removesuffix(".md") + "/" for r in catalog.records.values()} | {f"topics/{t}/" for t in catalog.topics}
    for chart in charts.values():
        assert chart.asset.uri == f"assets/charts/{chart.id}.json"
        plot = json.loads(chart.asset.content)
        assert plot == chart.plot
        assert chart.alt and chart.rows and all(len(row) == len(chart.columns) for row in chart.rows)
        for _, point in points(plot):
            assert point["name"] and point["lines"] and all(isinstance(line, str) and line for line in point["lines"])
            assert point.get("url", "models/gpt-3/") in pages, point  # relative to the site root, a page that exists


def test_parameters_chart_points_open_their_models(dataset: Path):
    for language, date in (("zh", "2020年5月28日"), ("en", "28 May 2020")):
        _, charts = charts_of(dataset, language)
        plot = charts["model-parameters"].plot
        gpt3 = next(p for _, p in points(plot) if p["name"] == "GPT-3")
        assert gpt3 == {"x": "2020-05-28", "y": 175_000_000_000, "name": "GPT-3", "url": "models/gpt-3/", "label": "GPT-3",
                        "rank": 2, "lines": [date, GPT3[language][2], "OpenAI"]}
        assert plot["panels"][0]["y"]["type"] == "log" and plot["x"]["type"] == "time" and plot["zoom"]
    _, charts = charts_of(dataset)
    chart = charts["model-parameters"]
    assert chart.plot["panels"][0]["y"]["ticks"] == {"11": "1000亿", "12": "1万亿", "13": "10万亿"}
    assert [(row[1].id, row[3]) for row in chart.rows] == [("gpt-3", "1750亿"), ("wudao-2", "1.75万亿")]
    assert "最大的是悟道 2.0（1.75万亿）" in chart.alt


def test_counts_in_the_tables(dataset: Path):
    catalog, charts = charts_of(dataset)
    assert charts["chips-per-year"].rows == [(2022, "英伟达", 1)]
    assert [(row[1].id, row[2], row[3]) for row in charts["chips-by-vendor"].rows] == [("nvidia-h100", "英伟达", "GPU")]
    topics = {row[0]: row[1:] for row in charts["events-per-topic"].rows}
    assert topics["大模型"] == (1, 1, 1, 0, 3)  # wudao-2-release, chatgpt-launch, gpt-4-release
    assert charts["funding-per-sector"].rows == [(2024, "大模型", "USD", "66亿", 1)]  # OpenAI's first topic
    assert sector(catalog.records["microsoft-invests-openai-2023"]) == "large-models"  # the investor is not the sector
    assert [(row[1].id, row[3]) for row in charts["parameters-by-country"].rows] == [("gpt-3", "美国"), ("wudao-2", "中国")]


def test_open_weights_count_unrecorded_models_apart(dataset: Path):
    catalog, charts = charts_of(dataset)
    chart = charts["open-weights-per-year"]
    said = {m.id: m.data.get("open_weights") for m in catalog.kind("models") if 2021 <= m.year <= 2024}
    assert sum(row[1] for row in chart.rows) == sum(v is True for v in said.values())
    assert sum(row[2] for row in chart.rows) == sum(v is False for v in said.values())
    assert sum(row[3] for row in chart.rows) == sum(v is None for v in said.values())
    assert sum(row[4] for row in chart.rows) == len(said)


def test_the_developers_country_groups_are_the_catalogues_words():
    catalog, charts = charts_of(ROOT, "en")
    series = [s["name"] for s in charts["parameters-by-country"].plot["panels"][0]["series"]]
    assert series[:3] == [Messages("en").t(f"countries.{c}") for c in COUNTRIES] + ["Elsewhere"]
    for _, point in points(charts["parameters-by-country"].plot):
        model = catalog.records[point["url"].split("/")[1]]
        country = model.links["organizations"][0].data["country"]
        assert point["lines"][2] == {"US": "United States", "CN": "China"}.get(country, "Elsewhere")


def test_the_funding_panels_share_one_legend():
    panels = charts_of(ROOT)[1]["funding-per-sector"].plot["panels"]
    names = {s["name"] for panel in panels for s in panel["series"]}
    assert len(panels) == 2 and len(names) <= TOP + 1, names  # as many colours as one panel needs


def test_the_english_charts_have_no_chinese_in_them():
    for chart in charts_of(ROOT, "en")[1].values():
        assert not has_cjk(chart.asset.content.decode() + chart.alt + chart.title), chart.id


def test_chart_json_is_reproducible(dataset: Path, fixture_site: Path):
    """The same catalog gives the same bytes, in a plan and in a real build, with sorted keys."""
    for language, site in (("zh", fixture_site), ("en", fixture_site / "en")):
        first, second = charts_of(dataset, language)[1], charts_of(dataset, language)[1]
        for chart in first.values():
            content = chart.asset.content
            assert content == second[chart.id].asset.content == (site / chart.uri).read_bytes()
            assert content == plot_json(json.loads(content))  # nothing but the plot, keys sorted


def test_chart_code_fits_its_budget(fixture_site: Path):
    sizes = {path: len(gzip.compress((fixture_site / path).read_bytes(), 9)) for path in (LIBRARY, GLUE)}
    assert sum(sizes.values()) <= BUDGET, sizes
    for licence in ("LICENSE", "NOTICE", "LICENSE-zrender", "LICENSE-d3"):
        assert (fixture_site / "assets/vendor/echarts" / licence).is_file(), licence


def test_charts_appear_with_alt_text_and_data_on_home_year_and_topic_pages(fixture_site: Path):
    expected = {"index.html": 6, "years/2023/index.html": 2, "topics/large-models/index.html": 3,
                "topics/chips/index.html": 2, "topics/open-source/index.html": 2, "topics/industry-capital/index.html": 1,
                "topics/robotics/index.html": 0, "models/gpt-3/index.html": 0}
    for language, root in (("zh", fixture_site), ("en", fixture_site / "en")):
        caption = Messages(language).t("charts.data_table", title="").strip()
        for page, count in expected.items():
            html = (root / page).read_text("utf-8")
            plots = re.findall(PLOT, html)
            assert len(plots) == count, (language, page)
            for id in plots:
                assert re.search(rf'<figcaption id="{id}">[^<]+</figcaption>', html)
                assert f'href="{"../" * page.count("/")}assets/charts/{id.removeprefix("at-chart-")}.json"' in html
            assert html.count(f"{caption}</caption>") == count, page


# ---- in the browser, on the real site ----

@pytest.fixture(scope="module")
def real_url(site: Path, tmp_path_factory) -> str:
    """The real site (data/) served under a path prefix, as it is published."""
    skip_without_browser()
    root = tmp_path_factory.mktemp("prefixed")
    (root / "aitimeline").symlink_to(site, target_is_directory=True)
    with serve(root) as url:
        yield url + "aitimeline/"


def drawn(page, chart: str):
    """The plot of a chart, scrolled into view once ECharts has drawn it."""
    plot = page.locator(f'.at-chart__plot[aria-labelledby="at-chart-{chart}"]')
    plot.locator("xpath=..").scroll_into_view_if_needed()
    until(page, f"window.echarts && echarts.getInstanceByDom(document.querySelector('[aria-labelledby=at-chart-{chart}]'))")
    plot.scroll_into_view_if_needed()
    return plot


def point_at(page, plot, chart_json: dict, name: str) -> tuple[float, float]:
    """Where on the page a named point is drawn."""
    index, point = next((i, p) for i, s in enumerate(chart_json["panels"][0]["series"]) for p in s["points"] if p["name"] == name)
    x, y = plot.evaluate("(el, a) => echarts.getInstanceByDom(el).convertToPixel({seriesIndex: a[0]}, a[1])",
                         [index, [point["x"], point["y"]]])
    box = plot.bounding_box()
    return box["x"] + x, box["y"] + y


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_hovering_gpt3_shows_it_and_clicking_opens_its_page(page, real_url, site, shot, language, width):
    prefix = "" if language == "zh" else "en/"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(real_url + prefix)
    plot = drawn(page, "model-parameters")
    x, y = point_at(page, plot, json.loads((site / prefix / "assets/charts/model-parameters.json").read_text("utf-8")), "GPT-3")
    page.mouse.move(x, y)
    tip = plot.locator(".at-chart__tip", has_text="GPT-3")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert all(part in text for part in GPT3[language]), text
    assert tip.locator("strong").inner_text() == "GPT-3"
    shot(f"gpt-3-{language}")
    page.mouse.click(x, y)
    page.wait_for_url(real_url + prefix + "models/gpt-3/")


def test_on_a_touch_screen_a_tap_shows_a_point_and_a_second_opens_it(open_page, real_url, site):
    page = open_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2)
    page.goto(real_url)
    plot = drawn(page, "model-parameters")
    x, y = point_at(page, plot, json.loads((site / "assets/charts/model-parameters.json").read_text("utf-8")), "GPT-3")
    page.touchscreen.tap(x, y)
    plot.locator(".at-chart__tip", has_text="1750亿参数").wait_for(state="visible")
    page.wait_for_timeout(300)
    assert page.url == real_url
    page.touchscreen.tap(x, y)
    page.wait_for_url(real_url + "models/gpt-3/")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_legend_entry_hides_and_shows_its_series(page, real_url, site, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(real_url)
    plot = drawn(page, "model-parameters")
    chart_json = json.loads((site / "assets/charts/model-parameters.json").read_text("utf-8"))
    first = chart_json["panels"][0]["series"][0]
    selected = f"el => echarts.getInstanceByDom(el).getOption().legend[0].selected[{json.dumps(first['name'])}]"
    x, y = point_at(page, plot, chart_json, first["points"][0]["name"])
    plot.locator("svg text", has_text=re.compile(f"^{re.escape(first['name'])}$")).click()
    assert plot.evaluate(selected) is False
    shot("hidden")
    page.mouse.move(x, y)  # its points answer no more
    page.wait_for_timeout(300)
    tip = plot.locator(".at-chart__tip")
    assert tip.count() == 0 or not tip.is_visible() or first["points"][0]["name"] not in tip.inner_text()
    plot.locator("svg text", has_text=re.compile(f"^{re.escape(first['name'])}$")).click()
    assert plot.evaluate(selected) is True


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_fits_the_column_in_both_palettes(page, real_url, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["", "topics/chips/", "en/"]:
        page.goto(real_url + path)
        ids = page.eval_on_selector_all(".at-chart__plot", "els => els.map(el => el.getAttribute('aria-labelledby'))")
        for id in ids:
            chart = id.removeprefix("at-chart-")
            plot = drawn(page, chart)
            column = page.locator("article").bounding_box()
            box = plot.bounding_box()
            assert column["x"] <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"] + 1, chart
            shot(f"{path.rstrip('/').replace('/', '-') or 'home'}-{chart}")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
    page.goto(real_url)
    plot = drawn(page, "model-parameters")
    texts = "el => [...el.querySelectorAll('svg text')].map(t => t.textContent).sort().join('|')"
    fill = "getComputedStyle(document.querySelector('.at-chart__plot svg text')).fill"
    light, written = page.evaluate(fill), plot.evaluate(texts)
    page.locator("label[for=__palette_1], form[data-md-component=palette] label").first.click()
    until(page, "document.body.getAttribute('data-md-color-scheme') === 'slate'")
    plot.scroll_into_view_if_needed()
    until(page, f"{fill} !== {json.dumps(light)}")
    shot("dark")
    assert plot.evaluate(texts) == written  # the same names, legend and axes, in the other palette


def test_without_javascript_the_caption_and_table_are_there(open_page, real_url):
    page = open_page(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page.goto(real_url)
    for figure in page.locator(".at-chart").all():
        assert figure.locator(".at-chart__plot").is_hidden()
        assert figure.locator("figcaption").is_visible()
        assert figure.locator(".at-chart__data table").is_visible()
    assert page.locator(".at-chart").count() == 6
    assert page.locator(".at-chart__data", has_text="GPT-3").locator("a", has_text="GPT-3").first.is_visible()


def test_chart_code_loads_only_where_there_are_charts(page, real_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(real_url + "models/gpt-3/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "charts" in url], "no chart code on a page without a chart"
    page.goto(real_url + "years/2022/")
    drawn(page, "model-parameters")
    assert [url for url in requested if url.endswith((LIBRARY, GLUE))] == [real_url + GLUE, real_url + LIBRARY]
