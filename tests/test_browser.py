"""The built site in headless Chromium, as a reader uses it: search, timelines, tables, dark mode, links.

One site (tests/fixtures/valid) is built and served once per session from a local thread; every page
must load with no console error and no request to any host but that server. The relevance suite
(tests/search_queries.yaml) runs over the real site. Screenshots of each step go to
test-artifacts/browser/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ARTIFACTS, ROOT, serve, skip_without_browser

skip_without_browser()


@pytest.fixture(scope="session")
def site_url(site: Path) -> str:
    """The real site (data/), served for the whole session."""
    with serve(site) as url:
        yield url


def search(page, query: str):
    """Type a query into the header's search box; returns the result links once they are shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)  # one input event, as an IME's commit sends
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    return page.locator(".md-search-result__item a.md-search-result__link")


def search_text(page):
    """Ask for the results over the whole text, after the name matches; returns all result links."""
    page.get_by_role("button", name="在全文中搜索更多结果").click()
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    return page.locator(".md-search-result__item a.md-search-result__link")


def open_result(page, shot, query: str, title: str) -> None:
    """Search, then open the result whose title is `title`."""
    hit = search(page, query).filter(has=page.locator(".at-search-result__title", has_text=re.compile(f"^{re.escape(title)}$")))
    hit.first.wait_for()
    page.wait_for_timeout(300)  # let the overlay finish fading in
    shot("results")
    hit.first.click()
    page.wait_for_load_state()
    shot("page")


def test_search_in_chinese_reaches_wu_dao(page, base_url, shot):
    page.goto(base_url)
    open_result(page, shot, "悟道", "悟道 2.0")
    assert urlsplit(page.url).path == "/models/wudao-2/"
    assert page.title() == "悟道 2.0 · Wu Dao 2.0 - AI 时间线 2021–2024"


def test_search_h100_reaches_the_chip(page, base_url, shot):
    page.goto(base_url)
    open_result(page, shot, "H100", "英伟达 H100")
    assert urlsplit(page.url).path == "/chips/nvidia-h100/"
    assert "TSMC 4N" in page.locator("article").inner_text()


def test_search_result_shows_kind_date_and_first_sentence(page, base_url, shot):
    page.goto(base_url + "years/2022/")
    first = search(page, "英伟达 H100").first
    shot("result")
    assert first.get_attribute("href") == "/chips/nvidia-h100/"
    assert first.locator(".at-search-result__title").inner_text() == "英伟达 H100"
    assert first.locator(".at-kind").inner_text() == "芯片"
    assert first.locator(".at-search-result__date").inner_text() == "2022年3月22日"
    assert first.locator(".at-search-result__text").inner_text() == "基于 Hopper 架构的数据中心 GPU。"


def test_search_opens_on_its_keys_and_is_driven_by_the_keyboard(page, base_url, shot):
    page.goto(base_url + "about/")
    toggle, box = page.locator("#__search"), page.locator("input.md-search__input")
    for key in ["/", "s", "f"]:
        page.keyboard.press(key)
        assert toggle.is_checked() and box.evaluate("b => b === document.activeElement")
        assert box.input_value() == ""  # the key opens the box and is not typed into it
        page.keyboard.press("Escape")
        assert not toggle.is_checked()
    page.keyboard.press("/")
    page.keyboard.type("GPT")
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    links = page.locator(".md-search-result__item a")
    assert links.count() == 2  # the names GPT-3 and GPT-4
    page.keyboard.press("ArrowDown")
    assert links.nth(0).evaluate("a => a === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert links.nth(1).evaluate("a => a === document.activeElement")
    shot("second")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert box.evaluate("b => b === document.activeElement")
    first = links.nth(0).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url.rstrip("/") + first)


def test_search_finds_names_first_then_the_text(page, base_url):
    page.goto(base_url)
    links = search(page, "OpenAI")
    assert [a.get_attribute("href") for a in links.all()] == ["/companies/openai/"]
    assert page.locator(".md-search-result__meta").inner_text() == "名称相符的 1 个结果"
    links = search_text(page)
    assert links.first.get_attribute("href") == "/companies/openai/"  # the record named exactly so comes first
    assert "/events/chatgpt-launch/" in [a.get_attribute("href") for a in links.all()]
    assert page.get_by_role("button", name="在全文中搜索更多结果").is_hidden()
    links = search(page, "数以百万计的用户")  # no name: the text at once
    assert links.first.get_attribute("href") == "/events/chatgpt-launch/"
    assert page.locator(".md-search-result__meta").inner_text().startswith("找到")
    links = search(page, "少量示例")  # words of GPT-3's summary
    assert links.first.get_attribute("href") == "/models/gpt-3/"
    links = search(page, "开放权重")  # the label of a fact of every model page, which is not indexed
    assert not {"/models/gpt-3/", "/models/gpt-4/", "/models/wudao-2/"} & {a.get_attribute("href") for a in links.all()}


def test_search_filters_by_kind_and_year(page, base_url, shot):
    page.goto(base_url)
    search(page, "OpenAI")
    links = search_text(page)
    status = page.locator(".md-search-result__meta")
    everything = status.inner_text()
    filters = page.locator(".at-search-filters")
    assert filters.is_hidden()  # until asked for: the filters' part of the index loads then
    page.get_by_role("button", name="筛选").click()
    filters.get_by_role("button", name="事件", exact=True).click()
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    shot("events")
    kinds = page.locator(".md-search-result__item .at-kind").all_inner_texts()
    assert kinds and set(kinds) == {"事件"} and status.inner_text() != everything
    filters.get_by_role("button", name="2024", exact=True).click()
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    assert [a.get_attribute("href") for a in links.all()] == ["/events/openai-funding-2024/"]
    assert filters.get_by_role("button", name="事件", exact=True).get_attribute("aria-pressed") == "true"
    filters.get_by_role("button", name="事件", exact=True).click()
    filters.get_by_role("button", name="2024", exact=True).click()
    page.locator(".md-search-result[aria-busy=false]").wait_for(state="attached")
    assert status.inner_text() == everything


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")])
def test_search_fits_the_screen_in_both_schemes(open_page, base_url, width, scheme):
    page = open_page(color_scheme=scheme, viewport={"width": width, "height": 844 if width < 500 else 900})
    page.goto(base_url)
    if width < 500:  # the box is behind the header's search button on a phone
        page.locator("label.md-header__button[for=__search]").click()
    search(page, "OpenAI")
    search_text(page)
    page.wait_for_timeout(400)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{width}-{scheme}.png"))
    dialog = page.get_by_role("dialog", name="搜索本站")
    assert dialog.count() == 1
    result = page.locator(".md-search-result__item").first
    box = result.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    colors = result.evaluate("e => [getComputedStyle(e.closest('.md-search__output')).backgroundColor,"
                             " getComputedStyle(e.querySelector('.at-search-result__title')).color]")
    assert colors[0] != colors[1]
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")


def test_without_javascript_the_box_is_hidden_and_pages_work(open_page, base_url):
    page = open_page(java_script_enabled=False)
    page.goto(base_url + "models/wudao-2/")
    assert not page.locator("input.md-search__input").is_visible()
    assert not page.locator("label.md-header__button[for=__search]").is_visible()
    assert "悟道" in page.locator("article").inner_text()


def test_search_works_under_the_sites_content_security_policy(page, base_url):
    """Search runs from files (and WebAssembly) only: the site's policy blocks inline scripts but the
    theme's own, and eval; a violation would be a console error."""
    page.goto(base_url)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval", "")
    links = search(page, "英伟达")
    assert links.first.get_attribute("href") == "/companies/nvidia/"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/companies/nvidia/")


@pytest.mark.parametrize("width", [1280, 375])
def test_search_loads_pagefind_when_the_reader_goes_for_it_not_with_every_page(open_page, base_url, width):
    page = open_page(viewport={"width": width, "height": 800}, has_touch=width < 500)
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(base_url + "models/gpt-4/", wait_until="networkidle")
    assert "/assets/search.js" in requested and not [p for p in requested if "/pagefind/" in p]
    with page.expect_request(lambda request: request.url.endswith(".pf_meta")):  # Pagefind's page list, after its script
        if width < 500:  # a phone: the header's search button, touched
            page.locator("label.md-header__button[for=__search]").dispatch_event("pointerdown")
        else:
            page.locator("input.md-search__input").hover()
    assert not page.locator("#__search").is_checked()  # loading, not opened
    assert "/pagefind/pagefind.js" in requested and not [p for p in requested if p.endswith(".pf_index")]


def test_relevance(page, site_url):
    """Every query of tests/search_queries.yaml lists its page among the first three results."""
    queries = yaml.safe_load((ROOT / "tests/search_queries.yaml").read_text("utf-8"))
    assert len(queries) >= 40
    page.goto(site_url)
    missed = []
    for case in queries:
        links = search(page, case["query"])
        top = [urlsplit(a.get_attribute("href")).path for a in links.all()[:3]]
        if "/" + case["page"] not in top:
            missed.append(f"{case['query']} -> {top} (wanted /{case['page']})")
    assert missed == []


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
    page.wait_for_url(base_url + "models/wudao-2/")
    page.locator("article").get_by_role("link", name="北京智源人工智能研究院").first.click()
    page.wait_for_url(base_url + "companies/baai/")
    article.get_by_role("link", name="智源研究院发布 1.75 万亿参数的“悟道 2.0”").click()
    page.wait_for_url(base_url + "events/wudao-2-release/")
    shot("event")


def test_pages_draw_their_charts_and_load_nothing_from_elsewhere(page, base_url, shot):
    for path in ["years/2021/", "topics/large-models/", "events/", "api/", "models/wudao-2/"]:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        figures = page.locator(".at-chart")
        for i in range(figures.count()):
            figures.nth(i).scroll_into_view_if_needed()
            figures.nth(i).locator(".at-chart__plot svg").wait_for()
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert page.locator(".at-chart").count() == 6
    shot("home")
