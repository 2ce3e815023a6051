"""The built site in headless Chromium, as a reader uses it: search, timelines, tables, dark mode, links.

One site (tests/fixtures/valid) is built and served once per session from a local thread; every page
must load with no console error and no request to any host but that server. Screenshots of each
step go to test-artifacts/browser/.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import ARTIFACTS, skip_without_browser

skip_without_browser()


def search(page, base_url: str, shot, query: str, result: str) -> None:
    """Type a query into Material's search box and open the result whose title is `result`."""
    page.goto(base_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on keyup, which an IME's commit also sends
    title = re.compile("^" + "\u200b?".join(map(re.escape, result)) + "$")  # the index keeps jieba's \u200b
    hit = page.locator(".md-search-result__item a").filter(has=page.locator("h1", has_text=title)).first
    hit.wait_for()
    page.wait_for_timeout(300)  # let the overlay finish fading in
    shot("results")
    hit.click()
    page.wait_for_load_state()
    shot("page")


def test_search_in_chinese_reaches_wu_dao(page, base_url, shot):
    search(page, base_url, shot, "悟道", "悟道 2.0")
    assert urlsplit(page.url).path == "/models/wudao-2/"
    assert page.title() == "悟道 2.0 · Wu Dao 2.0 - AI 时间线 2021–2024"


def test_search_h100_reaches_the_chip(page, base_url, shot):
    search(page, base_url, shot, "H100", "英伟达 H100")
    assert urlsplit(page.url).path == "/chips/nvidia-h100/"
    assert "TSMC 4N" in page.locator("article").inner_text()


def test_year_page_shows_chatgpt_in_november(page, base_url, shot):
    page.goto(base_url + "years/2022/")
    november = page.locator("section.at-month[data-month='11']")
    event = november.locator("article.at-event", has_text="OpenAI 推出 ChatGPT")
    event.scroll_into_view_if_needed()
    shot("november")
    assert event.is_visible()
    assert november.locator("h2").inner_text().startswith("11月")
    assert event.locator("time").get_attribute("datetime") == "2022-11-30"
    event.get_by_role("link", name="OpenAI 推出 ChatGPT").click()
    assert page.url == base_url + "events/chatgpt-launch/"


def test_year_page_filters_by_topic(page, base_url, shot):
    page.goto(base_url + "years/2022/")
    chatgpt = page.locator("article.at-event", has_text="ChatGPT")
    h100 = page.locator("article.at-event", has_text="H100")
    assert chatgpt.is_visible() and h100.is_visible()
    page.locator("[data-at-filter] button[data-topic=chips]").click()
    shot("chips")
    assert h100.is_visible() and not chatgpt.is_visible()
    assert "at-month--empty" in page.locator("section[data-month='11']").get_attribute("class")
    assert page.url.endswith("?topic=chips")
    page.locator("[data-at-filter] button[data-topic='']").click()
    assert chatgpt.is_visible() and h100.is_visible()
    page.goto(base_url + "years/2022/?topic=generative-ai")  # a filtered view can be linked to
    shot("linked")
    assert chatgpt.is_visible() and not h100.is_visible()


WIDTHS = {1280: 900, 390: 844}  # a laptop and a phone
EVENTS_2022 = {"h100": "英伟达发布 H100 GPU", "chatgpt": "OpenAI 推出 ChatGPT", "funding": "2022 年全球 AI 融资降至"}


def shown_events(page) -> list[str]:
    return sorted(key for key, text in EVENTS_2022.items()
                  if page.locator("article.at-event", has_text=text).is_visible())


@pytest.mark.parametrize("width", WIDTHS)
def test_year_page_opens_with_its_review_and_shows_important_events_or_all(page, base_url, shot, width):
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto(base_url + "years/2022/")
    assert page.locator("article h2").first.inner_text().startswith("年度回顾")
    assert page.locator("ol.at-milestones li a").all_inner_texts() == ["OpenAI 推出 ChatGPT"]
    important, every = (page.locator(f'[data-at-filter="show"] button[data-show="{v}"]') for v in ("important", ""))
    topic = page.locator('[data-at-filter="topic"]')
    assert shown_events(page) == ["chatgpt", "funding", "h100"]
    shot("all", full_page=True)

    important.focus()  # the toggle is a pair of buttons: the keyboard works them
    page.keyboard.press("Enter")
    shot("important", full_page=True)
    assert shown_events(page) == ["chatgpt", "h100"]
    assert (important.get_attribute("aria-pressed"), every.get_attribute("aria-pressed")) == ("true", "false")
    assert page.url.endswith("?show=important")
    assert "at-month--empty" in page.locator("section.at-month[data-month='0']").get_attribute("class")
    assert page.locator(".at-months a[data-month='0']").get_attribute("title").endswith("：0 个事件")

    topic.locator("button[data-topic=chips]").click()  # both filters apply together
    assert shown_events(page) == ["h100"]
    topic.locator("button[data-topic=industry-capital]").click()
    assert shown_events(page) == []
    every.focus()
    page.keyboard.press("Space")
    shot("all-industry-capital")
    assert shown_events(page) == ["funding"]
    assert page.url.endswith("?topic=industry-capital")

    page.goto(base_url + "years/2022/?show=important&topic=chips")  # a filtered view can be linked to
    assert shown_events(page) == ["h100"]
    assert important.get_attribute("aria-pressed") == "true"
    assert topic.locator("button[data-topic=chips]").get_attribute("aria-pressed") == "true"


def test_year_page_without_javascript_shows_every_event(open_page, base_url):
    page = open_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page.goto(base_url + "years/2022/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "year_page_without_javascript-1-all.png"), full_page=True)
    assert shown_events(page) == ["chatgpt", "funding", "h100"]
    assert not page.locator("[data-at-filter]").first.is_visible() and not page.locator("[data-at-filter]").last.is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_opens_with_the_milestones(page, base_url, shot, width):
    height = WIDTHS[width]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url)
    shot("home", full_page=True)
    assert page.locator("article h2").first.inner_text().startswith("里程碑")
    assert page.locator("article h3 > a:not(.headerlink)").all_inner_texts()[:2] == ["2022 年", "2023 年"]
    milestones = page.locator("ol.at-milestones li")
    assert milestones.locator("a").all_inner_texts() == ["OpenAI 推出 ChatGPT", "微软向 OpenAI 追加多年期投资",
                                                         "OpenAI 发布 GPT-4"]
    assert milestones.first.bounding_box()["y"] < height, "the first milestone shows without scrolling"
    milestones.get_by_role("link", name="OpenAI 发布 GPT-4").click()
    assert page.url == base_url + "events/gpt-4-release/"


def test_models_table_sorts_by_parameters_and_filters(page, base_url, shot):
    page.goto(base_url + "models/")
    table = page.locator("table[data-at-index]")

    def names() -> list[str]:
        return table.locator("tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()

    header = table.locator("th", has_text="参数量")
    header.click()
    assert names() == ["GPT-4", "GPT-3", "悟道 2.0"]  # by number: none, 1750亿, 1.75万亿
    header.click()
    shot("descending")
    assert names() == ["悟道 2.0", "GPT-3", "GPT-4"]
    page.locator("input.at-table-filter").fill("openai")
    shot("filtered")
    assert names() == ["GPT-3", "GPT-4"]


def test_dark_mode_toggle(page, base_url, shot):
    page.goto(base_url + "years/2023/")
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    page.get_by_title("切换到深色模式").click()
    shot("dark")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert page.evaluate(background) != "rgb(255, 255, 255)"
    page.goto(base_url + "models/wudao-2/")  # the choice is kept across pages
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_company_back_links(page, base_url, shot):
    page.goto(base_url + "companies/baai/")
    shot("company")
    article = page.locator("article")
    article.get_by_role("link", name="悟道 2.0", exact=True).click()
    assert page.url == base_url + "models/wudao-2/"
    page.locator("article").get_by_role("link", name="北京智源人工智能研究院").first.click()
    assert page.url == base_url + "companies/baai/"
    article.get_by_role("link", name="智源研究院发布 1.75 万亿参数的“悟道 2.0”").click()
    shot("event")
    assert page.url == base_url + "events/wudao-2-release/"


def test_pages_load_their_charts_and_nothing_from_elsewhere(page, base_url, shot):
    for path in ["years/2021/", "topics/large-models/", "events/", "api/", "models/wudao-2/"]:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        charts = page.locator(".at-chart img")
        for i in range(charts.count()):
            charts.nth(i).scroll_into_view_if_needed()
            assert charts.nth(i).evaluate("img => img.decode().then(() => img.naturalWidth)") > 0, path
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert page.locator(".at-chart img").count() == 4
    shot("home")
