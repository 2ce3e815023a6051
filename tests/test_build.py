"""Real `mkdocs build --strict` runs: of the project's own site, and of small projects."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from aitimeline import search
from conftest import ENV, FIXTURES, MKDOCS, ROOT, build, make_project

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_year_topic_index_and_record_pages_exist(site: Path):
    for page in ["index.html", "years/2021/index.html", "years/2024/index.html", "topics/index.html",
                 "topics/large-models/index.html", "models/index.html", "chips/index.html",
                 "companies/index.html", "events/index.html", "models/wudao-2/index.html",
                 "companies/baai/index.html", "schemas/event.schema.json"]:
        assert (site / page).is_file(), page
    for kind in ["models", "chips", "companies", "events"]:
        assert len(list((site / kind).glob("*/index.html"))) >= 1, kind


def test_internal_links_resolve(site: Path):
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served at any depth, so MkDocs links it from the site_url's path
            continue
        for href in re.findall(r'href="([^"]+)"', page.read_text("utf-8")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_company_page_links_back_to_its_records(site: Path):
    html = (site / "companies/baai/index.html").read_text("utf-8")
    assert 'href="../../models/wudao-2/"' in html
    assert 'href="../../events/wudao-2-release/"' in html


def test_edit_link_opens_the_yaml_file(site: Path):
    html = (site / "models/wudao-2/index.html").read_text("utf-8")
    assert "https://github.com/aitimeline/aitimeline/edit/main/data/models/wudao-2.yaml" in html


def test_navigation_lists_years_and_topics_not_records(site: Path):
    html = (site / "about/index.html").read_text("utf-8")  # a page whose own text links to no record
    assert "years/2021/" in html and "topics/large-models/" in html and "models/" in html
    assert "models/wudao-2/" not in html and "companies/baai/" not in html


def test_search_index_covers_the_pages_that_have_a_body_to_index(site: Path):
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    indexed = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")
               and p.relative_to(site).parts[0] != "en"]  # the English site has its own index
    assert entry["languages"]["zh"]["page_count"] == len(indexed) > 1000
    assert "data-pagefind-body" not in (site / "404.html").read_text("utf-8")
    assert not (site / "search").exists()  # Material's own index is gone


def test_record_page_carries_what_search_shows_filters_and_finds(site: Path):
    html = (site / "companies/nvidia/index.html").read_text("utf-8")
    head = html.split("</head>")[0]
    for meta in ['content="英伟达" data-pagefind-meta="title[content]"', 'content="机构" data-pagefind-meta="kind[content]"',
                 'content="英伟达 · NVIDIA · Nvidia · 辉达" data-pagefind-meta="names[content]"',
                 'content="机构" data-pagefind-filter="kind[content]"',
                 'content="自动驾驶" data-pagefind-filter="topic[content]"']:
        assert meta in head, meta
    keys = re.search(r'<p hidden data-pagefind-weight="10">([^<]*)</p>', html).group(1).split()
    assert {search.key("英伟达"), search.key("NVIDIA"), search.key("辉达")} <= set(keys)
    body = html.split("data-pagefind-body", 1)[1]
    assert re.search(r'<div data-pagefind-ignore="index">\s*<h2 id="[^"]*">模型', body)  # back-links are not its text


def test_lists_on_year_and_index_pages_are_not_indexed(site: Path):
    for page in ["years/2022/index.html", "models/index.html", "events/index.html"]:
        html = (site / page).read_text("utf-8")
        assert re.search(r'<(?:div|table)[^>]*data-pagefind-ignore="index"', html), page


def test_script_in_a_summary_fails_the_build_and_reaches_no_html(dataset: Path, tmp_path: Path):
    file = dataset / "data/events/gpt-4-release.yaml"
    file.write_text(file.read_text("utf-8").replace("支持图像输入", "<script>alert(1)</script>"), "utf-8")
    project = make_project(tmp_path / "project", dataset / "data")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "data/events/gpt-4-release.yaml:9:7: error[raw-html]" in result.stderr
    assert "1 problem(s); nothing was built" in result.stderr
    assert not any("alert(1)" in p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html"))


def test_render_out_builds_without_the_plugin(dataset: Path, tmp_path: Path):
    out = tmp_path / "pages"
    run = subprocess.run([sys.executable, "-m", "aitimeline", "render", "--out", str(out),
                          "--templates", str(ROOT / "templates")], cwd=dataset,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    project = make_project(tmp_path / "plain", dataset / "data")
    config = (project / "mkdocs.yml").read_text("utf-8").replace("  - aitimeline\n", "")
    (project / "mkdocs.yml").write_text(config + f"\ndocs_dir: {out}\n", "utf-8")
    for page in (project / "docs").rglob("*"):
        if page.is_file():
            target = out / page.relative_to(project / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.read_bytes())
    site = tmp_path / "site"
    result = subprocess.run(MKDOCS + ["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "GPT-4" in (site / "models/gpt-4/index.html").read_text("utf-8")


def test_build_is_byte_for_byte_reproducible(dataset: Path, tmp_path: Path):
    project = make_project(tmp_path / "project", dataset / "data")
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(project, first).returncode == 0 and build(project, second).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    # MkDocs stamps the build date into the sitemap; nothing else may differ.
    stamped = {Path("sitemap.xml"), Path("sitemap.xml.gz")}
    differ = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert set(differ) <= stamped


def test_properdocs_builds_the_same_site(fixture_site: Path, tmp_path: Path):
    from importlib.metadata import entry_points
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        assert [ep.value for ep in entry_points(group=group) if ep.name == "aitimeline"] == ["aitimeline.plugin:AitimelinePlugin"]
    project = make_project(tmp_path / "project", FIXTURES / "valid" / "data")
    site = tmp_path / "site"
    for config, out in (("properdocs.yml", site), ("properdocs.en.yml", site / "en")):
        result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(project / config),
                                 "-d", str(out)], capture_output=True, text=True, env=ENV, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
    assert b'content="mkdocs-ProperDocs' in (site / "index.html").read_bytes()
    def made(root: Path) -> list[Path]:  # the search index has its own reproducibility test (test_search.py)
        return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "pagefind" not in p.parts)

    files = made(fixture_site)
    assert files == made(site)
    for file in files:
        if file.name in ("sitemap.xml", "sitemap.xml.gz"):  # stamped with the build date
            continue
        ours, theirs = (fixture_site / file).read_bytes(), (site / file).read_bytes()
        if file.suffix == ".html":
            ours, theirs = GENERATOR.sub(b"", ours), GENERATOR.sub(b"", theirs)
        assert ours == theirs, file


def test_pages_load_nothing_from_other_hosts(fixture_site: Path):
    for page in fixture_site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert not re.search(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(?:https?:)?//', html), page
        assert not re.search(r'<link\b(?=[^>]*rel="(?:stylesheet|preload|preconnect|modulepreload)")[^>]*href="(?:https?:)?//',
                             html), page
        assert 'data-md-component="source"' not in html, "Material would fetch repository facts from GitHub"


def test_record_page_shows_what_a_reader_needs_to_trust_it(fixture_site: Path):
    html = (fixture_site / "models/gpt-3/index.html").read_text("utf-8")
    for shown in ["<title>GPT-3 · GPT-3 - AI 时间线 2021–2024</title>",
                  '<meta name="description" content="OpenAI 的 1750 亿参数语言模型。">',
                  '<meta property="og:title" content="GPT-3 · GPT-3">',
                  '<meta property="og:url" content="https://example.org/aitimeline/models/gpt-3/">',
                  '<a href="https://arxiv.org/abs/2005.14165">https://arxiv.org/abs/2005.14165</a>',  # the source
                  'href="https://example.org/aitimeline/models/gpt-3/"',  # the permalink
                  'href="../../api/v1/models/gpt-3.json"',
                  "https://github.com/aitimeline/aitimeline/edit/main/data/models/gpt-3.yaml"]:
        assert shown in html, shown
    note = re.search(r'<div class="admonition warning">(.*?)</div>', html, re.S).group(1)
    assert "更正与说明" in note and "2020 年 6 月 11 日开放 API" in note
    related = html.split(">相关记录<")[1].split(">来源<")[0]
    assert 'href="../../trends/2021-research-trend-02-large-models/"' in related


def test_year_page_is_a_month_by_month_timeline(fixture_site: Path):
    html = (fixture_site / "years/2022/index.html").read_text("utf-8")
    months = re.findall(r'<section class="at-month( at-month--empty)?" data-month="(\d+)">', html)
    assert months == [(" at-month--empty" if m not in (3, 11) else "", str(m)) for m in range(1, 13)] + [("", "0")]
    bars = re.findall(r'<a href="#m(\d+)" data-month="\1"', html)
    assert bars == [str(m) for m in range(1, 13)] + ["0"], "the events known only to the year come after December"
    undated = html.split('data-month="0">')[1].split("</section>")[0]
    assert 'id="m0">日期不详（仅知年份）' in undated and 'href="../../events/global-ai-funding-2022/"' in undated
    november = html.split('data-month="11">')[1].split("</section>")[0]
    assert '<time datetime="2022-11-30">11月30日</time>' in november
    assert 'href="../../events/chatgpt-launch/"' in november and 'href="../../companies/openai/"' in november
    assert 'data-importance="milestone" data-topics="generative-ai large-models"' in november
    assert '<span class="at-badge at-badge--milestone">里程碑</span>' in november
    assert '<span class="at-badge at-badge--major">重要</span>' in html.split('data-month="3">')[1].split("</section>")[0]
    assert "at-badge" not in undated and "data-importance" not in undated
    assert '<button type="button" data-topic="chips" aria-pressed="false">' in html
    assert '<button type="button" data-show="important" aria-pressed="false">重要事件 <small>2</small></button>' in html
    partial = (fixture_site / "years/2024/index.html").read_text("utf-8").split('data-month="10">')[1]
    assert '<time datetime="2024-10">10月</time>' in partial.split("</section>")[0]


def test_no_page_shows_markdown_attributes_as_text(fixture_site: Path):
    """Every `{: .class }` and `{ #id }` a template writes must reach Markdown on a line of its own."""
    for page in fixture_site.rglob("*.html"):
        text = re.sub(r"<(pre|code)\b.*?</\1>", "", page.read_text("utf-8"), flags=re.S)  # examples may show them
        assert not re.search(r"\{:? *[.#]", text), page.relative_to(fixture_site)


def test_index_tables_carry_sort_values(fixture_site: Path):
    html = (fixture_site / "models/index.html").read_text("utf-8")
    assert '<th data-sort-method="number">参数量</th>' in html
    assert '<td data-sort="1750000000000">1.75万亿</td>' in html
    assert '<td data-sort="2021-06-01">2021年6月1日</td>' in html
    assert 'href="../api/v1/models.csv"' in html
    for asset in ["assets/vendor/tablesort/tablesort.min.js", "assets/vendor/tablesort/LICENCE", "assets/aitimeline.js",
                  "api/v1/models.csv", "api/v1/catalog.json", "feed.xml", "assets/charts/model-parameters.json",
                  "assets/charts.js"]:
        assert (fixture_site / asset).is_file(), asset


def test_context_events_sit_in_a_closed_box_at_the_end_of_their_year(fixture_site: Path):
    html = (fixture_site / "years/2023/index.html").read_text("utf-8")
    box = re.search(r'<details class="note">\s*<summary>同期科技背景</summary>(.*?)</details>', html, re.S)
    assert box and 'href="../../events/global-orbital-launches-2023/"' in box.group(1)
    assert html.count("global-orbital-launches-2023") == 1, "only in the box"
    assert "<time" not in box.group(1) and box.end() > html.rindex("at-month")
