"""The English edition: the same records in English under en/, one vocabulary in two catalogues,
a language switch that keeps the reader's place, and search over the language being read."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2
import pytest

from aitimeline.catalog import build_catalog
from aitimeline.dates import PartialDate
from aitimeline.i18n import LANGUAGES, Messages, MissingMessage, catalogue, keys
from aitimeline.pipeline import check, held_page, problems_page, renderer
from aitimeline.problems import Problem
from conftest import CHROMIUM, ROOT, write_tree

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
RUNS = re.compile(CJK.pattern + "+")
FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
MARKED = re.compile(r'<(\w+)[^>]*\blang="zh"[^>]*>.*?</\1>', re.S)  # Chinese-only text, marked as such
# Schema enums and the catalogue group that labels their values.
LABELS = {("event", "kind"): "event_kinds", ("chip", "kind"): "chip_kinds", ("chip", "use"): "uses",
          ("company", "type"): "company_types", ("prediction", "verdict"): "verdicts",
          ("prediction", "verdict_by"): "verdict_by", ("model", "modalities"): "modalities",
          ("trend", "scope"): "scopes", ("event", "currency"): "currencies", ("defs", "importance"): "importance",
          ("sources", "kind"): "source_kinds"}


def enums() -> dict[tuple[str, str], list]:
    """(schema, property) → the values its enum allows, wherever in the schema it is."""
    found = {}

    def walk(node, name, schema):
        if isinstance(node, dict):
            if "enum" in node:
                found[schema, name] = node["enum"]
            for key, value in node.items():
                walk(value, name if key in ("properties", "items", "$defs", "additionalProperties") else key, schema)
        elif isinstance(node, list):
            for value in node:
                walk(value, name, schema)

    for file in resources.files("aitimeline.schemas").iterdir():
        if file.name.endswith(".schema.json"):
            walk(json.loads(file.read_text("utf-8")), "", file.name.removesuffix(".schema.json"))
    return found


def test_both_catalogues_have_the_same_messages():
    assert keys(catalogue("zh")) == keys(catalogue("en"))


def test_every_schema_value_has_a_label_in_both_languages():
    found = enums()
    assert set(found) == set(LABELS), "a new enum needs its labels in messages/ and a line in LABELS"
    for language in LANGUAGES:
        words = Messages(language)
        for where, values in found.items():
            for value in values:
                label = words.catalogue[LABELS[where]].get(value)
                assert label, f"messages/{language}.yaml: no label for {where} = {value!r}"


def test_dates_numbers_and_money_are_written_the_english_way():
    en, zh = Messages("en"), Messages("zh")
    assert en.date(PartialDate(2023, 3, 14)) == "14 March 2023" and en.date(PartialDate(2023, 3)) == "March 2023"
    assert zh.date(PartialDate(2023, 3, 14)) == "2023年3月14日"
    assert en.number(1.75e12) == "1.75 trillion" and en.number(7e9) == "7 billion" and en.number(35_000) == "35,000"
    funding = {"amount": 1e10, "currency": "USD"}
    assert en.money(funding) == "$10 billion" and zh.money(funding) == "100亿美元"
    assert en.money({"round": "A"}) == "amount not disclosed"


def test_a_missing_message_or_field_fails_the_page(tmp_path: Path):
    write_tree(tmp_path, {"missing.md.j2": '{{ t("home.nope") }}', "typo.md.j2": "{{ record.data.sumary }}"})
    pages = renderer(tmp_path, "en")
    with pytest.raises(MissingMessage, match="home.nope"):
        pages.page("missing.md.j2", "x.md")
    with pytest.raises(jinja2.UndefinedError, match="sumary"):
        pages.page("typo.md.j2", "x.md", record={"data": {}})


@pytest.fixture(scope="module")
def english_pages():
    dataset, problems = check(ROOT / "data", ROOT)
    assert [p for p in problems if p.level == "error"] == []
    catalog = build_catalog(dataset)
    return catalog, {p.src_uri: p.markdown for p in renderer(ROOT / "templates", "en").render(catalog)}


def english_text(value) -> list[str]:
    """Every English text of a record: its `en` fields, at any depth."""
    if isinstance(value, dict):
        return [t for key, v in value.items() for t in ([v] if key == "en" and isinstance(v, str) else english_text(v))]
    return [t for v in value for t in english_text(v)] if isinstance(value, list) else []


def test_every_english_page_is_in_english(english_pages):
    """Outside its front matter, an English page has Chinese only where it is marked lang="zh" (names
    and titles that have no English form: Chinese sources, a headquarters) or where the English text
    of a record quotes it (a Chinese name the note corrects): no Chinese word comes from a template."""
    catalog, pages = english_pages
    assert len(pages) == len(renderer(ROOT / "templates", "zh").plan(catalog))
    quoted = {run for r in catalog.records.values() for text in english_text(r.data) for run in RUNS.findall(text)}
    chinese = {uri: set(RUNS.findall(MARKED.sub("", FRONT.sub("", text)))) - quoted for uri, text in pages.items()}
    assert {uri: found for uri, found in chinese.items() if found} == {}


def test_english_record_page_reads_in_english(english_pages):
    _, pages = english_pages
    gpt4 = pages["models/gpt-4.md"]
    assert '# GPT-4\n' in gpt4 and "| Released | 14 March 2023 |" in gpt4 and "OpenAI's multimodal model" in gpt4
    assert "Cite this page" in gpt4 and "引用本页" not in gpt4
    assert "| Parameters | 1.75 trillion |" in pages["models/wudao-2.md"]


def test_english_atom_feed(english_pages):
    catalog, _ = english_pages
    feed = ET.fromstring(renderer(ROOT / "templates", "en").feed(catalog, "https://example.org/aitimeline/en/").content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = feed.findall(f"{atom}entry")
    assert entries and all(not CJK.search(e.findtext(f"{atom}summary")) for e in entries)
    assert all(e.find(f"{atom}link").get("href").startswith("https://example.org/aitimeline/en/") for e in entries)


def test_the_preview_speaks_the_language_of_its_site():
    """The preview's own pages (the problems, a page held back) take their words from the catalogue."""
    problems = [Problem("data/models/gpt-4.yaml", 3, 17, "unknown-ref", "unknown company 'openia'")]
    words = Messages("en")
    pages = [problems_page(problems, words).markdown, held_page("models/gpt-4.md", problems, None, words),
             held_page("models/gpt-4.md", problems, "---\ntitle: GPT-4\n---\n\n# GPT-4\n", words)]
    for page in pages:
        assert "data/models/gpt-4.yaml:3:17" in page and "openia" in page
        assert CJK.findall(page) == []
    chinese = problems_page(problems, Messages("zh")).markdown
    assert Messages("zh").t("preview.problems") in chinese and words.t("preview.problems") in pages[0]


def _canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def test_each_built_page_names_its_language_and_links_to_the_same_page(fixture_site: Path):
    """`<html lang>` is the site's; the hreflang links (full URLs, Chinese the default) and the language
    switch lead to this very page in each language; a page without a translation claims none."""
    for rel, lang, other in (("models/gpt-4/index.html", "zh", "en/models/gpt-4/index.html"),
                             ("en/models/gpt-4/index.html", "en", "models/gpt-4/index.html"),
                             ("en/years/2023/index.html", "en", "years/2023/index.html"),
                             ("en/index.html", "en", "index.html")):
        html = (fixture_site / rel).read_text("utf-8")
        assert f'<html lang="{lang}"' in html, rel
        counterpart = "zh" if lang == "en" else "en"
        urls = {lang: _canonical(html), counterpart: _canonical((fixture_site / other).read_text("utf-8"))}
        hreflang = dict(re.findall(r'<link rel=" alternate" hreflang="([\w-]+)" href="([^"]+)">', html))
        assert hreflang == {**urls, "x-default": urls["zh"]}, rel
        assert not re.search(r'<link rel="alternate" href=[^>]*hreflang', html), rel  # Material's, to the home pages
        here = (fixture_site / rel).parent
        switch = {code: (here / href / "index.html").resolve() for href, code in
                  re.findall(r'<a href="([^"]+)" hreflang="(zh|en)"[^>]*class="md-select__link"', html)}
        assert switch == {lang: (fixture_site / rel).resolve(), counterpart: (fixture_site / other).resolve()}, rel
    untranslated = (fixture_site / "benchmarks/index.html").read_text("utf-8")
    assert "hreflang=" not in untranslated.split("</head>")[0]


def test_the_english_site_has_its_own_search_index(fixture_site: Path):
    """Each build indexes its own site directory: the English index is of English pages only."""
    assert list((fixture_site / "pagefind").glob("pagefind.zh*.pf_meta"))
    assert list((fixture_site / "en/pagefind").glob("pagefind.en*.pf_meta"))
    assert not list((fixture_site / "pagefind").glob("pagefind.en*.pf_meta"))


# In the browser ---------------------------------------------------------------------------------

browser_only = pytest.mark.skipif((importlib.util.find_spec("playwright") is None or not CHROMIUM.exists())
                                  and not os.environ.get("CI"), reason="needs playwright and Debian's chromium: run `make test`")
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang^="zh"], script, style, [hidden]').forEach(e => e.remove());
  return body.innerText;
}"""


@browser_only
@pytest.mark.parametrize("path", ["en/", "en/years/2023/", "en/models/gpt-4/"])
def test_english_pages_show_english_only(page, base_url, shot, path):
    page.goto(urljoin(base_url, path))
    assert page.evaluate("document.documentElement.lang") == "en"
    shot("page")
    text = page.evaluate(VISIBLE_TEXT)
    assert "Model" in text or "Events" in text or "Milestones" in text
    assert CJK.findall(text) == []


@browser_only
def test_the_language_switch_keeps_the_page(page, base_url, shot):
    missing = []
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    page.goto(urljoin(base_url, "models/gpt-4/"))
    page.wait_for_load_state("networkidle")  # Material's script has read the sitemaps: it must not take over
    assert missing == []  # nor looked for one beside the hreflang links
    page.locator(".md-header__option .md-select button").hover()
    page.locator('.md-select__link[hreflang="en"]').click()
    page.wait_for_load_state()
    shot("english")
    assert urlsplit(page.url).path == "/en/models/gpt-4/" and page.evaluate("document.documentElement.lang") == "en"
    page.wait_for_load_state("networkidle")
    page.locator(".md-header__option .md-select button").hover()
    page.locator('.md-select__link[hreflang="zh"]').click()
    page.wait_for_load_state()
    shot("chinese")
    assert urlsplit(page.url).path == "/models/gpt-4/" and page.evaluate("document.documentElement.lang") == "zh"


@browser_only
def test_english_search_finds_the_company_in_english(page, base_url, shot):
    page.goto(urljoin(base_url, "en/"))
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("NVIDIA")
    hit = page.locator(".md-search-result__item a.md-search-result__link").filter(
        has=page.locator(".at-search-result__title", has_text=re.compile("^NVIDIA$")))
    hit.first.wait_for()
    status = page.locator(".md-search-result__meta").inner_text()
    assert status and not CJK.search(status)
    shot("results")
    hit.first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/en/companies/nvidia/"
