"""Render the catalog into Markdown pages through the Jinja templates in `templates/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from aitimeline import markup
from aitimeline.catalog import Catalog, Record
from aitimeline.load import SINGULAR
from aitimeline.search import name_keys

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
class Plan:
    """A page to render: its template, where it goes, the file an editor changes, what it shows."""

    template: str
    src_uri: str
    edit_path: str | None
    context: dict


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


class Renderer:
    """A Jinja environment over the templates directory. Keep one: each template is compiled once,
    and again only when its file changes.

    Every `{{ value }}` is inert text (`markup.text`) unless it is already markup, and only
    `markup` and `href` make markup: `prose` for text fields, `url` for declared links, `meta` for
    front matter. There is no `safe` filter, and `e` is the same inert text."""

    def __init__(self, templates_dir: Path):
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            finalize=markup.text,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
        del self.env.filters["safe"]
        self.env.filters.update(e=markup.text, escape=markup.text, prose=markup.prose, meta=markup.meta,
                                url=markup.link_target, slug=markup.slug, first_sentence=markup.first_sentence,
                                cjk_number=cjk_number, money=money, name_keys=name_keys)
        self.env.globals.update(href=href, date=date, countries=COUNTRIES, years=YEARS)

    def page(self, template: str, src_uri: str, edit_path: str | None = None, **context) -> Page:
        text = self.env.get_template(template).render(page_uri=src_uri, **context)
        return Page(src_uri, text, edit_path)

    def plan(self, catalog: Catalog, charts: dict | None = None, site: dict | None = None) -> list[Plan]:
        """Every page of the site, in a stable order, as what to render; `charts` are the planned
        charts by id and `site` the site's own settings (repo_url, site_url)."""
        shared = {"catalog": catalog, "charts": charts or {}, "site": site or {}}
        plans = [Plan("home.md.j2", "index.md", None, shared)]
        plans += [Plan("year.md.j2", f"years/{year}.md", None, {**shared, "year": year}) for year in YEARS]
        plans.append(Plan("topics.md.j2", "topics/index.md", None, shared))
        plans += [Plan("topic.md.j2", f"topics/{topic}.md", "data/topics.yaml",
                       {**shared, "topic_id": topic, "topic": catalog.topics[topic]}) for topic in sorted(catalog.topics)]
        plans += [Plan(f"{kind}.md.j2", f"{kind}/index.md", None, shared) for kind in INDEXES]
        plans.append(Plan("sources.md.j2", "sources/index.md", "data/sources.yaml", shared))
        plans += [Plan(f"{SINGULAR[r.kind]}.md.j2", r.src_uri, r.path, {**shared, "record": r})
                  for kind in INDEXES for r in catalog.kind(kind, context=True)]
        return plans

    def render_one(self, plan: Plan) -> Page:
        return self.page(plan.template, plan.src_uri, plan.edit_path, **plan.context)

    def render(self, catalog: Catalog, charts: dict | None = None, site: dict | None = None) -> list[Page]:
        """Every page of the site; the first template error stops it."""
        return [self.render_one(plan) for plan in self.plan(catalog, charts, site)]


@jinja2.pass_context
def href(context, target: Record | str) -> Markup:
    """The link from the page being rendered to a record or a page's src_uri."""
    uri = target.src_uri if isinstance(target, Record) else target
    return Markup("../" * context["page_uri"].count("/") + quote(uri))


def date(record: Record) -> str:
    """A record's date as written in Chinese, or its year."""
    if record.date:
        return record.date.zh
    return f"{record.year}年" if record.year else ""
