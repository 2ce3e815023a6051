import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jinja2
import markdown
import pytest

from aitimeline.catalog import build_catalog
from aitimeline.charts import plan_charts
from aitimeline.i18n import Messages
from aitimeline.pipeline import check, run
from aitimeline.render import Page, Renderer
from conftest import ROOT


def pages_of(root: Path) -> dict[str, str]:
    result = run(root / "data", ROOT / "templates", root)
    assert result.problems == []
    return {p.src_uri: p.markdown for p in result.pages}


def test_every_page_kind_is_rendered(dataset: Path):
    pages = pages_of(dataset)
    assert {"index.md", "years/2021.md", "years/2024.md", "topics/index.md", "topics/chips.md",
            "models/index.md", "chips/index.md", "companies/index.md", "events/index.md",
            "predictions/index.md", "trends/index.md", "sources/index.md", "models/gpt-3.md",
            "chips/nvidia-h100.md", "companies/openai.md", "events/gpt-4-release.md",
            "predictions/pred-2024-gpt5.md"} <= set(pages)


def test_company_page_lists_models_and_funding_in_date_order(dataset: Path):
    page = pages_of(dataset)["companies/openai.md"]
    assert "[GPT-3](../models/gpt-3.md)" in page and "[GPT-4](../models/gpt-4.md)" in page
    history = page.split("## 融资历程")[1].split("##")[0]
    assert history.index("2023年1月23日") < history.index("2024年10月")
    assert "66亿美元" in history


def test_year_page_groups_events_by_month(dataset: Path):
    page = pages_of(dataset)["years/2023.md"]
    timeline = page[page.index("<div class=\"at-timeline\""):]
    order = [timeline.index(text) for text in ("## 1月", "微软向 OpenAI", "## 3月", "OpenAI 发布 GPT-4")]
    assert order == sorted(order)
    assert "[GPT-4](../models/gpt-4.md)" in page


LINK = re.compile(r"\]\((?:\.\./)?([a-z0-9/-]+)\.md\)")
HEADING = re.compile(r"^(##+) (.+?)(?: \{ #[a-z0-9-]+ \})?$", re.M)


def sections(page: str) -> list[tuple[str, str]]:
    """The page's sections under `##` headings and deeper: (heading, text up to the next heading)."""
    found = list(HEADING.finditer(page))
    ends = [m.start() for m in found[1:]] + [len(page)]
    return [(m[2], page[m.end():end]) for m, end in zip(found, ends, strict=True)]


def test_year_page_opens_with_its_milestones_in_date_order(dataset: Path):
    """Events, models and chips marked `milestone`, by date, those known only to the year last; never context."""
    for path in ("chips/nvidia-h100", "events/global-ai-funding-2022", "events/global-orbital-launches-2023"):
        file = dataset / f"data/{path}.yaml"
        file.write_text(file.read_text("utf-8") + "importance: milestone\n", "utf-8")
    result = run(dataset / "data", ROOT / "templates", dataset)
    assert [(p.path, p.rule) for p in result.problems] == [
        ("data/events/global-orbital-launches-2023.yaml", "importance-outlier")]  # a context record is in no review
    pages = {p.src_uri: p.markdown for p in result.pages}
    expected = {2021: [], 2022: ["chips/nvidia-h100", "events/chatgpt-launch", "events/global-ai-funding-2022"],
                2023: ["events/microsoft-invests-openai-2023", "events/gpt-4-release"], 2024: []}
    for year, milestones in expected.items():
        heading, review = sections(pages[f"years/{year}.md"])[0]
        assert heading == "年度回顾"
        assert LINK.findall(review) == milestones, year
    review = sections(pages["years/2022.md"])[0][1]
    assert ('<time datetime="2022-11-30">11月30日</time> **[OpenAI 推出 ChatGPT](../events/chatgpt-launch.md)** '
            '<span class="at-milestones__text">OpenAI 以免费研究预览形式上线基于 GPT-3.5 的对话产品 ChatGPT，'
            '数天内吸引了数以百万计的用户，被普遍视为生成式 AI 时代的起点。</span>') in review
    first_sentence = "按原幻灯片的统计，全球 AI 企业在 2022 年共获得 458 亿美元融资，较 2021 年缩水 34%。</span>"
    assert '<time datetime="2022">2022年</time> **[' in review and first_sentence in review
    assert "本年尚未标出里程碑" in sections(pages["years/2021.md"])[0][1]


def test_year_page_lists_events_known_only_to_the_year_after_december(dataset: Path):
    page = pages_of(dataset)["years/2022.md"]
    months = [heading for heading, _ in sections(page) if heading.endswith("月") or "年份" in heading]
    assert months == [f"{m}月" for m in range(1, 13)] + ["日期不详（仅知年份）"]
    assert LINK.findall(dict(sections(page))["日期不详（仅知年份）"]) == ["events/global-ai-funding-2022"]


def test_home_page_opens_with_the_milestones_year_by_year(dataset: Path):
    page = pages_of(dataset)["index.md"]
    headings = [heading for heading, _ in sections(page)]
    assert headings[:5] == ["里程碑", "[2022 年](years/2022.md)", "[2023 年](years/2023.md)", "最新事件", "收录概况"]
    story = "".join(text for _, text in sections(page)[:3])
    assert LINK.findall(story) == ["events/chatgpt-launch", "events/microsoft-invests-openai-2023", "events/gpt-4-release"]
    assert '<time datetime="2023-01-23">1月23日</time>' in story and "合作延期。</span>" in story


def test_record_text_is_escaped_even_without_validation(dataset: Path):
    file = dataset / "data/events/gpt-4-release.yaml"
    file.write_text(file.read_text("utf-8").replace("支持图像输入", "<script>alert(1)</script>"), "utf-8")
    dataset_, problems = check(dataset / "data", dataset)
    assert [p.rule for p in problems] == ["raw-html"]
    dataset_.failed.clear()  # render it anyway, as if the validator had missed it
    pages = Renderer(ROOT / "templates").render(build_catalog(dataset_))
    page = next(p.markdown for p in pages if p.src_uri == "events/gpt-4-release.md")
    html = markdown.markdown(page, extensions=["tables"])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_output_is_the_same_from_two_processes(dataset: Path, tmp_path: Path):
    trees = []
    for seed in ("1", "2"):  # different hash seeds: no set or dict order may leak into a page or a file
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "aitimeline", "render", "--out", str(out), "--templates",
                        str(ROOT / "templates")], cwd=dataset, check=True,
                       capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        trees.append({f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()})
    assert trees[0].keys() == trees[1].keys() and len(trees[0]) > 40
    assert [name for name in trees[0] if trees[0][name] != trees[1][name]] == []


def test_numbers_read_in_chinese_units():
    zh = Messages("zh")
    assert zh.number(1_750_000_000_000) == "1.75万亿"
    assert zh.number(175_000_000_000) == "1750亿"
    assert zh.number(400_000_000) == "4亿"
    assert zh.money({"round": "C2", "amount": 400_000_000, "currency": "USD"}) == "4亿美元"
    assert zh.money({"round": "A"}) == "金额未披露"


BOX = '??? note "同期科技背景"'


def test_a_context_record_changes_nothing_but_its_own_page_and_box(dataset: Path):
    """Counts, month bars, topic filters, charts and indexes are those of the AI records alone."""
    background = "events/global-orbital-launches-2023"
    result = run(dataset / "data", ROOT / "templates", dataset)
    (dataset / f"data/{background}.yaml").unlink()
    without = run(dataset / "data", ROOT / "templates", dataset)
    pages, pages_without = ({p.src_uri: p.markdown for p in r.pages} for r in (result, without))
    year, box = pages.pop("years/2023.md").split(BOX)
    assert year.rstrip() == pages_without.pop("years/2023.md").rstrip()
    assert f"[2023 年全球火箭发射次数首次突破 200 次](../{background}.md)" in box
    assert "范围 | 同期科技背景" in pages.pop(f"{background}.md")
    assert pages == pages_without
    tables = [{c.id: (c.alt, [[getattr(cell, "id", cell) for cell in row] for row in c.rows])
               for c in plan_charts(r.catalog).values()} for r in (result, without)]
    assert tables[0] == tables[1]
    assert BOX not in pages_without["years/2022.md"]


def _edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), "utf-8")


EDITS = {  # what an editor saves between two preview rebuilds
    "a linked record's name": lambda root: _edit(root, "data/companies/openai.yaml", "zh: OpenAI", "zh: 开放人工智能"),
    "a record's links": lambda root: _edit(root, "data/models/gpt-4.yaml", "organizations: [openai]",
                                           "organizations: [openai, microsoft]"),
    "a model's parameters (charts)": lambda root: _edit(root, "data/models/gpt-3.yaml", "parameters: 175_000_000_000",
                                                         "parameters: 170_000_000_000"),
    "a topic's name": lambda root: _edit(root, "data/topics.yaml", "name: {zh: 大模型,", "name: {zh: 大型模型,"),
    "a deleted record": lambda root: (root / "data/events/gpt-4-release.yaml").unlink(),
    "a template": lambda root: _edit(root, "templates/partials/macros.j2", "{% macro link(r) %}",
                                     "{% macro link(r) %}→"),
    "the year pages' template": lambda root: _edit(root, "templates/year.md.j2", "## {{ t(\"year.review\") }}",
                                                   "## → {{ t(\"year.review\") }}"),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_kept_renderer_makes_the_same_pages_as_a_fresh_one(dataset: Path, edit: str):
    """A preview keeps its renderer, which renders a record page again only when what it shows
    changed: after any edit, its pages are those a fresh renderer makes, and what did not change
    was not rendered again."""
    shutil.copytree(ROOT / "templates", dataset / "templates")

    def render(renderer: Renderer) -> dict[str, Page]:
        dataset_, _ = check(dataset / "data", dataset)
        catalog = build_catalog(dataset_)
        return {p.src_uri: p for p in renderer.render(catalog, plan_charts(catalog, renderer.messages))}

    kept = Renderer(dataset / "templates")
    before = render(kept)
    EDITS[edit](dataset)
    time.sleep(0.01)  # a template edit is seen by its modification time
    after = render(kept)
    assert {uri: p.markdown for uri, p in after.items()} == {
        uri: p.markdown for uri, p in render(Renderer(dataset / "templates")).items()}
    changed = {uri for uri in after if uri not in before or after[uri].markdown != before[uri].markdown}
    assert changed
    if edit not in ("a template", "a topic's name"):  # what every page may show
        assert any(after[uri] is before[uri] for uri in after.keys() & before.keys() - changed)


def test_a_template_that_does_not_parse_fails_its_pages_not_the_plan(dataset: Path):
    """The preview plans every page before rendering each on its own: a template with a syntax
    error must fail the pages made with it (which the preview then holds back), not the plan."""
    shutil.copytree(ROOT / "templates", dataset / "templates")
    _edit(dataset, "templates/model.md.j2", "{{ date(record) }}", "{{ date(record) }")
    catalog = build_catalog(check(dataset / "data", dataset)[0])
    plans = Renderer(dataset / "templates").plan(catalog)
    kept = Renderer(dataset / "templates")
    failed = set()
    for plan in plans:
        try:
            kept.render_one(plan)
        except jinja2.TemplateSyntaxError:
            failed.add(plan.template)
    assert failed == {"model.md.j2"}


def test_the_preview_shows_a_broken_file_as_it_last_was_and_nothing_cascades(dataset: Path):
    """With `held` (kept between a preview's rebuilds), a record that breaks stays in the catalog in
    its last good version: every other page is made exactly as before, its own page is held, and
    its problems are reported. A file that was never good, or is gone, is not shown."""
    held: dict = {}

    def preview():
        return run(dataset / "data", ROOT / "templates", dataset, keep_going=True, held=held)

    before = {p.src_uri: p.markdown for p in preview().pages}
    _edit(dataset, "data/models/gpt-4.yaml", "organizations: [openai]", "organizations: [openia]")
    (dataset / "data/models/new-model.yaml").write_text("name: {zh: 新模型}\n", "utf-8")
    broken = preview()
    assert {p.path for p in broken.errors} == {"data/models/gpt-4.yaml", "data/models/new-model.yaml"}
    assert set(broken.failed) == {"models/gpt-4.md", "models/new-model.md"}
    assert broken.catalog.records["gpt-4"].data["organizations"] == ["openai"]
    assert "new-model" not in broken.catalog.records
    after = {p.src_uri: p.markdown for p in broken.pages}
    assert {uri for uri in before if after.get(uri) != before[uri]} == set()
    assert after.keys() - before.keys() == {"problems.md"}
    (dataset / "data/models/gpt-4.yaml").unlink()
    gone = preview()
    assert "gpt-4" not in gone.catalog.records and "data/models/gpt-4.yaml" not in held
