"""Render the catalog into Markdown pages through the Jinja templates in `templates/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from aitimeline.catalog import Catalog, Record
from aitimeline.load import SINGULAR

YEARS = (2021, 2022, 2023, 2024)
INDEXES = ("events", "models", "chips", "companies", "predictions", "trends")
COUNTRIES = {
    "CN": "中国", "US": "美国", "GB": "英国", "FR": "法国", "DE": "德国", "JP": "日本", "KR": "韩国",
    "CA": "加拿大", "IL": "以色列", "SG": "新加坡", "IN": "印度", "CH": "瑞士", "NL": "荷兰", "SE": "瑞典",
    "HK": "中国香港", "TW": "中国台湾", "AU": "澳大利亚", "EU": "欧盟", "AE": "阿联酋", "SA": "沙特阿拉伯",
    "FI": "芬兰", "IE": "爱尔兰", "RU": "俄罗斯", "IT": "意大利", "ES": "西班牙", "BE": "比利时", "UN": "联合国",
}
CURRENCIES = {"USD": "美元", "CNY": "元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "HKD": "港元",
              "KRW": "韩元", "CAD": "加元", "ILS": "新谢克尔", "SGD": "新加坡元", "INR": "卢比", "CHF": "瑞士法郎"}


@dataclass(frozen=True)
class Page:
    """A generated Markdown page; `edit_path` is the file an editor changes to change it."""

    src_uri: str
    markdown: str
    edit_path: str | None = None


def cjk_number(value: float) -> str:
    """A count in Chinese units: 1.75万亿, 1750亿, 70亿, 3.5万."""
    for size, unit in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{value / size:.4g}{unit}"
    return f"{value:g}"


def money(funding: dict) -> str:
    if "amount" not in funding:
        return "金额未披露"
    currency = funding.get("currency", "")
    return cjk_number(funding["amount"]) + CURRENCIES.get(currency, currency)


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def first_sentence(text: str) -> str:
    end = text.find("。")
    return text[: end + 1] if 0 <= end < 120 else text[:120] + ("…" if len(text) > 120 else "")


class Renderer:
    """A Jinja environment over the templates directory. Keep one: each template is compiled once,
    and again only when its file changes."""

    def __init__(self, templates_dir: Path):
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
        self.env.filters.update(cjk_number=cjk_number, money=money, cell=cell, first_sentence=first_sentence)
        self.env.globals.update(href=href, link=link, links=links, topic_links=topic_links, date=date,
                                record_list=record_list, event_table=event_table, countries=COUNTRIES, years=YEARS)

    def page(self, template: str, src_uri: str, edit_path: str | None = None, **context) -> Page:
        text = self.env.get_template(template).render(page_uri=src_uri, **context)
        return Page(src_uri, text, edit_path)

    def render(self, catalog: Catalog, charts: dict | None = None, site: dict | None = None) -> list[Page]:
        """Every page of the site, in a stable order; `charts` are the planned charts by id and
        `site` the site's own settings (repo_url, site_url)."""
        shared = {"catalog": catalog, "charts": charts or {}, "site": site or {}}
        pages = [self.page("home.md.j2", "index.md", **shared)]
        pages += [self.page("year.md.j2", f"years/{year}.md", year=year, **shared) for year in YEARS]
        pages.append(self.page("topics.md.j2", "topics/index.md", **shared))
        pages += [self.page("topic.md.j2", f"topics/{topic}.md", "data/topics.yaml", topic_id=topic,
                            topic=catalog.topics[topic], **shared) for topic in sorted(catalog.topics)]
        pages += [self.page(f"{kind}.md.j2", f"{kind}/index.md", **shared) for kind in INDEXES]
        pages.append(self.page("sources.md.j2", "sources/index.md", "data/sources.yaml", **shared))
        pages += [self.page(f"{SINGULAR[r.kind]}.md.j2", r.src_uri, r.path, record=r, **shared)
                  for kind in INDEXES for r in catalog.kind(kind)]
        return pages


@jinja2.pass_context
def href(context, target: Record | str) -> str:
    """The link from the page being rendered to a record or a page's src_uri."""
    uri = target.src_uri if isinstance(target, Record) else target
    return "../" * context["page_uri"].count("/") + uri


@jinja2.pass_context
def link(context, record: Record) -> Markup:
    """A Markdown link to a record, by its Chinese name."""
    return Markup(f"[{escape(record.name['zh'])}]({href(context, record)})")


@jinja2.pass_context
def links(context, records: list[Record]) -> Markup:
    return Markup("、").join(link(context, r) for r in records)


@jinja2.pass_context
def topic_links(context, ids: list[str]) -> Markup:
    topics = context["catalog"].topics
    return Markup(" · ").join(
        Markup(f"[{escape(topics[t]['name']['zh'])}]({href(context, f'topics/{t}.md')})") for t in ids)


@jinja2.pass_context
def record_list(context, records: list[Record]) -> Markup:
    """A Markdown list of records: date, link, English name."""
    items = []
    for r in records:
        when = date(r)
        items.append(Markup(f"- {escape(when) + ' · ' if when else ''}{link(context, r)} <small>{escape(r.name['en'])}</small>"))
    return Markup("\n").join(items) + Markup("\n")


@jinja2.pass_context
def event_table(context, events: list[Record]) -> Markup:
    """A Markdown table of events: date, link, kind, topics."""
    kinds = context.environment.get_template("partials/labels.j2").module.event_kinds
    rows = [f"| {escape(date(e))} | {link(context, e)} | {kinds[e.data['kind']]} | {topic_links(context, e.data['topics'])} |"
            for e in events]
    return Markup("\n".join(["| 日期 | 事件 | 类型 | 专题 |", "| --- | --- | --- | --- |", *rows]) + "\n")


def date(record: Record) -> str:
    """A record's date as written in Chinese, or its year."""
    if record.date:
        return record.date.zh
    return f"{record.year}年" if record.year else ""
