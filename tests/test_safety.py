"""Record text cannot attack readers: whatever a record says, the pages carry no script, no handler,
no foreign link and no markup but the templates' own and the sanitiser's allowlist.

The invariant is checked on the rendered pages turned into HTML by MkDocs' own Markdown set-up
(the extensions of mkdocs.yml), for arbitrary text in every text and URL field of every kind, with
the validator bypassed; the named attacks are checked through the whole gate (validate, then a real
`mkdocs build --strict`)."""

from __future__ import annotations

import copy
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta as front_matter
from mkdocs.utils.yaml import get_yaml_loader

from aitimeline import markup
from aitimeline.catalog import build_catalog
from aitimeline.charts import plan_charts
from aitimeline.export import export
from aitimeline.i18n import LANGUAGES
from aitimeline.pipeline import check, renderer
from conftest import FIXTURES, ROOT, build, make_project, serve, write_tree

# Every tag the templates themselves write; record text may add only markup.TAGS, inside .at-prose.
TEMPLATE_TAGS = {"h1", "h2", "h3", "p", "a", "strong", "em", "small", "span", "code", "ul", "ol", "li", "table",
                 "thead", "tbody", "tr", "th", "td", "div", "nav", "section", "article", "time", "button",
                 "figure", "figcaption", "img", "caption", "details", "summary", "br"}
URL_FIELDS = {"website", "url", "paper"}
ATTACKS = ["{: tabindex=0 autofocus onfocus=alert(1) }", "{ onclick=alert(1) }",
           "[t](https://ok.example){: href=javascript:alert(1) }",
           "\n\n- [y]: javascript:alert(1)\n\n[点此][y]", "[y]: javascript:alert(1)", "](https://evil.example/x) [",
           '" http-equiv="refresh', "0;url=https://evil.example/", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "&lt;script&gt;", "&#x3C;img&#x3E;", "|", "\n\n## 注入\n", "\n", "- ", "1. ", "`", "*", "_", "'", "\x01", "\ufffe",
           "!!! note", "??? x", '<div markdown="1">*x*</div>', "javascript:alert(1)", "https://evil.example/x){:onclick=alert(1)}",
           "![i](https://evil.example/i.png)", "<https://evil.example/>", "[a](<javascript:x>)", "\\", "{#id}", "~~~"]
texts = st.lists(st.one_of(st.sampled_from(ATTACKS), st.text(max_size=12)), min_size=1, max_size=6).map("".join)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured as mkdocs.yml configures it."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=get_yaml_loader())
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


class Audit(HTMLParser):
    """Collects what the invariant forbids."""

    def __init__(self, declared: str):
        super().__init__(convert_charrefs=True)
        self.declared = declared
        self.prose_depth = 0
        self.faults: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        in_prose = self.prose_depth > 0
        if in_prose:
            self.prose_depth += tag == "div" or 0
            if tag not in markup.TAGS and tag != "div":
                self.faults.append(f"<{tag}> in record prose")
        elif tag == "div" and "at-prose" in (attrs.get("class") or "").split() or "admonition" in (attrs.get("class") or ""):
            self.prose_depth = 1
        if tag not in TEMPLATE_TAGS | markup.TAGS:
            self.faults.append(f"<{tag}> is not a tag the templates write")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.faults.append(f"<{tag} {name}>")
            if name in ("href", "src") and value is not None:
                self.check_link(tag, value)

    def handle_endtag(self, tag):
        if self.prose_depth and tag == "div":
            self.prose_depth -= 1

    def check_link(self, tag: str, value: str) -> None:
        parts = urlsplit(value.strip())
        if not parts.scheme and not parts.netloc:
            return  # the site's own pages and files
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.faults.append(f"<{tag}> links to {value!r}")
        elif parts.netloc.lower() not in self.declared.lower():
            self.faults.append(f"<{tag}> links to {value!r}, a host no record declares")


def audit(pages, declared: str) -> list[str]:
    md = site_markdown()
    faults = []
    for page in pages:
        body, meta = front_matter.get_data(page.markdown)
        for key, value in _strings(meta):  # the theme prints front matter into <head> as is
            if re.search(r"[<>\"]|&(?!(?:#\d+|#x[0-9a-f]+|[a-z]+);)", value, re.I):
                faults.append(f"{page.src_uri}: front matter {key} {value!r} is not escaped for <head>")
        parser = Audit(declared)
        parser.feed(md.reset().convert(body))
        faults += [f"{page.src_uri}: {fault}" for fault in parser.faults]
    return faults


def _strings(value, path=""):
    """(path, text) of every string in front matter."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}".lstrip("."))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)
    elif isinstance(value, str):
        yield path, value


@pytest.fixture(scope="module")
def fixture_data():
    dataset, problems = check(FIXTURES / "valid" / "data", FIXTURES / "valid")
    assert problems == []
    return dataset


def _text_fields(value, path=()):
    """(path, is_url) of every string in a record."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _text_fields(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_fields(item, path + (index,))
    elif isinstance(value, str) and path[0] not in ("date", "kind", "type", "country", "topics", "companies", "models",
                                                    "chips", "organizations", "vendor", "parent", "related", "verdict",
                                                    "verdict_by", "scope", "modalities", "use", "currency", "investors",
                                                    "importance") and path[-1] != "ref":
        yield path, path[-1] in URL_FIELDS


def _set(record: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        record = record[key]
    record[path[-1]] = value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_text_in_any_field_renders_inert(fixture_data, data):
    dataset = copy.deepcopy(fixture_data)
    written = data.draw(st.lists(texts, min_size=1, max_size=8))
    urls = data.draw(st.lists(st.one_of(texts, texts.map(lambda t: "https://ok.example/" + t)), min_size=1, max_size=4))
    fields = [(document, path, is_url) for document in dataset.records for path, is_url in _text_fields(document.data)]
    for index, (document, path, is_url) in enumerate(fields):
        _set(document.data, path, (urls if is_url else written)[index % len(urls if is_url else written)])
    written += urls
    catalog = build_catalog(dataset)
    charts = []
    for language in LANGUAGES:
        pages = renderer(ROOT / "templates", language)
        charts += (planned := plan_charts(catalog, pages.messages)).values()
        site = pages.render(catalog, planned, {"site_url": "https://site.example/", "repo_url": ""})
        assert audit(site, " ".join(written) + " site.example") == []
        ET.fromstring(pages.feed(catalog, "https://site.example/").content)
    for asset in export(catalog) + [chart.asset for chart in charts]:
        if asset.uri.endswith(".json"):
            json.loads(asset.content)  # never NaN or Infinity


def test_the_real_site_passes_the_same_audit():
    dataset, problems = check(ROOT / "data", ROOT)
    catalog = build_catalog(dataset)
    declared = " ".join(json.dumps(r.data, ensure_ascii=False) for r in catalog.records.values())
    for language in LANGUAGES:
        pages = renderer(ROOT / "templates", language)
        site = pages.render(catalog, plan_charts(catalog, pages.messages), {"site_url": "https://site.example/", "repo_url": ""})
        assert audit(site, declared + json.dumps(catalog.sources) + " site.example") == []


# The reproductions of the attacks that once passed `validate` and `mkdocs build --strict`.
REFUSED = {
    "website: https://ok.example/x){:onclick=alert(1)}": "bad-format",
    "url: https://ok.example/x){:onclick=alert(1)}": "bad-format",
    'name: {zh: "x\\n\\n## 注入\\n", en: x}': "bad-format",
    'name: {zh: "a\\u0001b", en: x}': "control-character",
    'summary: {zh: "a\\uFFFEb"}': "control-character",
    "parameters: 1e400": "out-of-range",
    "parameters: " + "9" * 40: "out-of-range",
    "parameters: " + "9" * 401: "wrong-type",
    "parameters: " + "9" * 5001: "wrong-type",
    "aliases: 1": "wrong-type",
}


def with_line(text: str, line: str) -> str:
    """A record's text with a top-level field replaced (a source added, for `url`)."""
    key = line.split(":")[0]
    if key == "url":
        return text.replace("sources:\n", f"sources:\n  - {line}\n", 1)
    return re.sub(rf"^{key}:.*\n(?:[ -].*\n)*", "", text, flags=re.M) + line + "\n"


@pytest.mark.parametrize("line", REFUSED, ids=range(len(REFUSED)))
def test_named_attacks_are_refused_with_their_place(dataset: Path, line: str):
    rel = "companies/openai.yaml" if line.startswith("website") else "models/gpt-3.yaml"
    path = dataset / "data" / rel
    path.write_text(with_line(path.read_text("utf-8"), line), "utf-8")
    _, problems = check(dataset / "data", dataset)
    assert any(p.rule == REFUSED[line] and p.line > 1 for p in problems), problems
    assert {p.path for p in problems} == {f"data/{rel}"}  # nothing cascades to other files


def test_reserved_ids_symlinks_and_unreadable_files_are_problems(dataset: Path):
    data = dataset / "data"
    write_tree(data, {"events/index.yaml": (data / "events/chatgpt-launch.yaml").read_text("utf-8").replace(
        "ChatGPT", "ChatGPT 副本")})
    (data / "models/linked.yaml").symlink_to(data / "models/gpt-3.yaml")
    (data / "models/unreadable.yaml").write_text("name: x\n")
    (data / "models/unreadable.yaml").chmod(0)
    (data / "topics.yaml").write_text((data / "topics.yaml").read_text("utf-8") + "index:\n  name: {zh: 索引, en: Index}\n"
                                      "  description: {zh: 占位。, en: Placeholder.}\n", "utf-8")
    _, problems = check(data, dataset)
    found = {(p.path, p.rule) for p in problems}
    assert ("data/events/index.yaml", "bad-id") in found
    assert ("data/topics.yaml", "bad-id") in found
    assert ("data/models/linked.yaml", "symlink") in found
    if os.geteuid() != 0:  # root reads any file
        assert ("data/models/unreadable.yaml", "unreadable-file") in found


HOSTILE_BUT_VALID = {  # text the validator lets through: it must render as text
    "summary": "正文\n{: tabindex=0 autofocus onfocus=alert(1) }\n\nx\n\n- [y]: javascript:alert(1)\n\n[点此][y]",
    "name.zh": 'foo](https://evil.example/x) [bar | baz { onclick=alert(1) }',
    "name.en": '0;url=https://evil.example/" http-equiv="refresh',
    "note": "[t](https://ok.example){: href=javascript:alert(1) } ??? x",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The fixture site with one record carrying every attack the validator lets through, and a
    hand-written page with an inline handler and script (as if the sanitiser had failed)."""
    tmp = tmp_path_factory.mktemp("hostile")
    project = make_project(tmp / "project", FIXTURES / "valid" / "data")
    path = project / "data/models/gpt-3.yaml"
    text = re.sub(r"^(name|summary|note):.*\n(  .*\n)*", "", path.read_text("utf-8"), flags=re.M)
    q = json.dumps
    text += (f"name: {{zh: {q(HOSTILE_BUT_VALID['name.zh'])}, en: {q(HOSTILE_BUT_VALID['name.en'])}}}\n"
             f"summary: {{zh: {q(HOSTILE_BUT_VALID['summary'])}, en: {q(HOSTILE_BUT_VALID['summary'])}}}\n"
             f"note: {{zh: {q(HOSTILE_BUT_VALID['note'])}, en: {q(HOSTILE_BUT_VALID['note'])}}}\n")
    path.write_text(text, "utf-8")
    write_tree(project / "docs", {"probe.md": "# Probe\n\n<img src=\"x.png\" onerror=\"window.pwned = 1\">\n\n"
                                              "<script>window.pwned = 2</script>\n\n"
                                              "<a id=\"js\" href=\"javascript:window.pwned=3\">js</a>\n"})
    config = (project / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(config + "not_in_nav: |\n  probe.md\n", "utf-8")
    result = build(project, tmp / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp / "site"


def test_hostile_text_that_passes_the_gate_is_text_on_the_built_site(hostile_site: Path):
    for page in sorted(hostile_site.rglob("*.html")):
        if page.name == "index.html" and page.parent.name == "probe":
            continue
        html = page.read_text("utf-8")
        head = html.split("</head>")[0]
        equivs = re.findall(r'<meta\s+http-equiv="([^"]*)"', head)
        assert equivs == ["Content-Security-Policy"], (page, equivs)
        for attrs in re.findall(r"<meta\b([^>]*)>", head):  # every attribute is one the template wrote
            names = re.findall(r"\s([a-z:-]+)=", re.sub(r'"[^"]*"', '""', attrs))
            assert set(names) <= {"charset", "name", "content", "property", "http-equiv", "data-pagefind-meta",
                                  "data-pagefind-filter"}, (page, attrs)
        faults = []
        for tag, attrs in re.findall(r"<([a-z0-9]+)\b([^>]*)>", html):
            if re.search(r"\son[a-z]+\s*=", re.sub(r'"[^"]*"', '""', attrs)):
                faults.append(f"<{tag}{attrs}>")
            for url in re.findall(r'\s(?:href|src)="([^"]*)"', attrs):
                if url.startswith(("javascript:", "data:", "vbscript:")) or "evil.example" in url:
                    faults.append(url)
        assert faults == [], (page, faults)
    model = (hostile_site / "models/gpt-3/index.html").read_text("utf-8")
    assert "{: tabindex=0 autofocus onfocus=alert(1) }" in model  # shown as text
    assert 'http-equiv=&quot;refresh">' in model  # the quote stays inside og:title


def test_the_policy_stops_what_reaches_a_page_and_the_site_still_works(hostile_site: Path, browser):
    with serve(hostile_site) as base_url:
        page = browser.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(base_url + "probe/")
        page.click("#js")
        page.wait_for_timeout(300)
        assert page.evaluate("window.pwned") is None
        assert len(violations) >= 2, violations  # the inline script and the handler were refused
        violations.clear()
        page.goto(base_url)
        page.locator("label[for=__palette_1], form[data-md-component=palette] label").first.click()
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.goto(base_url + "models/")
        page.locator("th").nth(3).click()
        assert page.locator("th[aria-sort]").count() == 1  # Tablesort ran
        assert violations == []
        page.close()


def test_a_hostile_name_in_a_chart_tooltip_is_text(hostile_site: Path, browser):
    """A chart's tooltip is HTML: the names and lines it shows go in as text, whatever they hold, even
    markup that the validator would refuse (here put into the chart's JSON on its way)."""
    chart = json.loads((hostile_site / "assets/charts/model-parameters.json").read_text("utf-8"))
    index, point = next((i, p) for i, s in enumerate(chart["panels"][0]["series"]) for p in s["points"]
                        if p["url"] == "models/gpt-3/")
    assert point["name"] == HOSTILE_BUT_VALID["name.zh"]
    point["name"] = point["lines"][2] = HOSTILE_BUT_VALID["name.zh"] + '<img src=x onerror="window.pwned=4"><b>b</b>'
    with serve(hostile_site) as base_url:
        page = browser.new_page()
        page.route("**/assets/charts/model-parameters.json", lambda route: route.fulfill(json=chart))
        page.goto(base_url)
        plot = page.locator('.at-chart__plot[aria-labelledby="at-chart-model-parameters"]')
        plot.locator("xpath=..").scroll_into_view_if_needed()
        plot.locator("svg").wait_for()
        plot.scroll_into_view_if_needed()
        x, y = plot.evaluate("(el, a) => echarts.getInstanceByDom(el).convertToPixel({seriesIndex: a[0]}, a[1])",
                             [index, [point["x"], point["y"]]])
        box = plot.bounding_box()
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = plot.locator(".at-chart__tip")
        tip.locator("strong").wait_for()
        assert tip.locator("strong").text_content() == point["name"]
        assert tip.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName).join()") == "DIV,STRONG,DIV,DIV,DIV"
        page.wait_for_timeout(200)
        assert page.evaluate("window.pwned") is None
        page.close()
