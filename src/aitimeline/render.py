"""Render the catalog into Markdown pages through the Jinja templates in `templates/`."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2 import meta
from markupsafe import Markup

from aitimeline import markup
from aitimeline.catalog import Catalog, Record
from aitimeline.export import Asset, newest
from aitimeline.i18n import DEFAULT, Messages, has_cjk
from aitimeline.kinds import KINDS, SINGULAR, YEARS
from aitimeline.search import name_keys


class Missing(jinja2.StrictUndefined):
    """A value that is not there: false in a test (`{% if d.note %}`), an error anywhere else, so
    that a misspelt field or label fails the page instead of printing nothing."""

    def __bool__(self) -> bool:
        return False


@dataclass(frozen=True)
class Plan:
    """A page to render: its template, where it goes, the file an editor changes, what it shows."""

    template: str
    src_uri: str
    edit_path: str | None
    context: dict
    key: int | None = None  # what the page shows, for a page that shows a bounded part of the catalog (_Keys)


@dataclass(frozen=True)
class Page:
    """A generated Markdown page; `edit_path` is the file an editor changes to change it."""

    src_uri: str
    markdown: str
    edit_path: str | None = None


class Renderer:
    """A Jinja environment over the templates directory. Keep one: each template is compiled once,
    and again only when its file changes, and a page with a key (a record's, a year's, a topic's,
    a kind's list) is rendered again only when what it shows changed (the preview's rebuilds).

    Every `{{ value }}` is inert text (`markup.text`) unless it is already markup, and only
    `markup` and `href` make markup: `prose` for text fields, `url` for declared links, `meta` for
    front matter. There is no `safe` filter, and `e` is the same inert text."""

    def __init__(self, templates_dir: Path, language: str = DEFAULT):
        self.language = language
        self.templates_dir = templates_dir
        self.made: dict[str, tuple[int, Page]] = {}  # src_uri -> (key, page) of the pages with a key last made
        self.named: dict[str, tuple[tuple, frozenset]] = {}  # template -> (its version, the templates it names)
        self.messages = words = Messages(language)
        self.env = jinja2.Environment(
            undefined=Missing,
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
                                plain=markup.plain, number=words.number, money=words.money, local=words.local,
                                name_keys=name_keys)
        self.env.globals.update(href=href, topic=topic, date=words.date, t=words.t, month=words.month, lang=language, years=YEARS,
                                name=lambda r: r.name[language])
        self.env.tests["cjk"] = has_cjk

    def page(self, template: str, src_uri: str, edit_path: str | None = None, **context) -> Page:
        text = _render(self.env.get_template(template), src_uri, context)
        return Page(src_uri, text, edit_path)

    def plan(self, catalog: Catalog, charts: dict | None = None, site: dict | None = None) -> list[Plan]:
        """Every page of the site, in a stable order, as what to render; `charts` are the planned
        charts by id and `site` the site's own settings (repo_url, site_url)."""
        charts = charts or {}
        shared = {"catalog": catalog, "charts": charts, "site": site or {}}
        records = [r for kind in KINDS for r in catalog.kind(kind, context=True)]
        keys = _Keys(self._versions(), catalog, records, site)
        plans = [Plan("home.md.j2", "index.md", None, shared)]
        plans += [Plan("year.md.j2", f"years/{year}.md", None, {**shared, "year": year},
                       keys.listing("year.md.j2", catalog.by_year.get(year, []),
                                    [c for c in charts.values() if c.on_years])) for year in YEARS]
        plans.append(Plan("topics.md.j2", "topics/index.md", None, shared))
        plans += [Plan("topic.md.j2", f"topics/{topic}.md", "data/topics.yaml",
                       {**shared, "topic_id": topic, "topic": catalog.topics[topic]},
                       keys.listing("topic.md.j2", catalog.by_topic.get(topic, []),
                                    [c for c in charts.values() if topic in c.topics]))
                  for topic in sorted(catalog.topics)]
        plans += [Plan(f"{kind}.md.j2", f"{kind}/index.md", None, shared,
                       keys.listing(f"{kind}.md.j2", catalog.kind(kind, context=True))) for kind in KINDS]
        plans.append(Plan("sources.md.j2", "sources/index.md", "data/sources.yaml", shared))
        plans += [Plan(f"{SINGULAR[r.kind]}.md.j2", r.src_uri, r.path, {**shared, "record": r},
                       keys.record(f"{SINGULAR[r.kind]}.md.j2", r)) for r in records]
        self.made = {plan.src_uri: self.made[plan.src_uri] for plan in plans if plan.src_uri in self.made}
        return plans

    def _versions(self) -> dict[str, tuple]:
        """Each template a page is made of, by name, as the version of every template it is made of
        (itself and what it extends, includes and imports, over and over)."""
        files = {p.relative_to(self.templates_dir).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
                 for p in self.templates_dir.rglob("*") if p.is_file()}

        def named(name: str) -> frozenset:
            if name not in files:
                return frozenset(files)  # not a file: count every template
            version, names = self.named.get(name, (None, frozenset()))
            if version != files[name]:
                try:
                    found = list(meta.find_referenced_templates(self.env.parse(self.env.loader.get_source(self.env, name)[0])))
                except jinja2.TemplateError:  # rendering the page says what is wrong
                    found = [None]
                names = frozenset(files) if None in found else frozenset(found)
                self.named[name] = (files[name], names)
            return names

        def made_of(name: str) -> tuple:
            seen, todo = set(), [name]
            while todo:
                if (current := todo.pop()) not in seen:
                    seen.add(current)
                    todo += named(current)
            return tuple((n, files.get(n)) for n in sorted(seen))

        return {name: made_of(name) for name in files}

    def feed(self, catalog: Catalog, site_url: str = "") -> Asset:
        """The Atom feed, in this renderer's language."""
        text = _render(self.env.get_template("feed.xml.j2"), "feed.xml",
                       {"catalog": catalog, "entries": newest(catalog), "site_url": site_url})
        return Asset("feed.xml", text.encode("utf-8"))

    def render_one(self, plan: Plan) -> Page:
        made = self.made.get(plan.src_uri)
        if plan.key is not None and made and made[0] == plan.key:
            return made[1]
        page = self.page(plan.template, plan.src_uri, plan.edit_path, **plan.context)
        if plan.key is not None:
            self.made[plan.src_uri] = (plan.key, page)
        return page

    def render(self, catalog: Catalog, charts: dict | None = None, site: dict | None = None) -> list[Page]:
        """Every page of the site; the first template error stops it."""
        return [self.render_one(plan) for plan in self.plan(catalog, charts, site)]


class _Keys:
    """What a page that shows a bounded part of the catalog is made of, as a number that changes
    when it does: its templates, the topics, the sources and the site's settings, and for a record
    page its record, the records it links to and those that link to it; for a list (a year's, a
    topic's, a kind's) its records, what each links to, and its charts."""

    def __init__(self, versions: dict[str, tuple], catalog: Catalog, records: list[Record], site: dict | None):
        self.versions = versions
        self.shared = hash((repr(catalog.topics), repr(catalog.sources), repr(site)))
        self.own = {r.id: hash((r.kind, r.path, repr(r.data))) for r in records}
        self.charts: dict[str, int] = {}  # a chart is shown on several pages: its key is made once

    def _near(self, links: dict[str, list[Record]]) -> tuple:
        return tuple((role, r.id, self.own.get(r.id)) for role, linked in sorted(links.items()) for r in linked)

    def record(self, template: str, r: Record) -> int:
        return hash((self.versions.get(template), self.shared, self.own[r.id], self._near(r.links), self._near(r.backlinks)))

    def listing(self, template: str, records: list[Record], charts: list = ()) -> int:
        shown = tuple((r.id, self.own[r.id], self._near(r.links)) for r in records)
        return hash((self.versions.get(template), self.shared, shown, tuple(self._chart(c) for c in charts)))

    def _chart(self, chart) -> int:
        if chart.id not in self.charts:
            rows = tuple(tuple((v.id, self.own.get(v.id)) if isinstance(v, Record) else v for v in row) for row in chart.rows)
            self.charts[chart.id] = hash((chart.id, chart.title, chart.alt, chart.columns, rows, repr(chart.plot)))
        return self.charts[chart.id]


@dataclass(frozen=True)
class _Scope:
    """What is being rendered: the page (links are relative to it) and the catalog it shows."""

    page_uri: str
    catalog: Catalog | None


# The macros (templates/partials/macros.j2) are imported without the page's context, so that Jinja
# evaluates them once, not once a page: the few globals that depend on the page read it from here.
_scope: ContextVar[_Scope] = ContextVar("scope")


def _render(template: jinja2.Template, page_uri: str, context: dict) -> str:
    token = _scope.set(_Scope(page_uri, context.get("catalog")))
    try:
        return template.render(**context)
    finally:
        _scope.reset(token)


def href(target: Record | str) -> Markup:
    """The link from the page being rendered to a record or a page's src_uri."""
    uri = target.src_uri if isinstance(target, Record) else target
    return Markup("../" * _scope.get().page_uri.count("/") + quote(uri))


def topic(id: str) -> dict:
    """A topic of the catalog being rendered, by id."""
    return _scope.get().catalog.topics[id]
