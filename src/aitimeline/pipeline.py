"""One ordering for every caller: load → validate → catalog → render."""

from __future__ import annotations

import functools
import gc
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from aitimeline.ahead import Ahead, can_fork
from aitimeline.catalog import Catalog, build_catalog
from aitimeline.charts import plan_charts
from aitimeline.export import Asset, export, write_assets
from aitimeline.i18n import DEFAULT, Messages, MissingMessage
from aitimeline.kinds import KINDS
from aitimeline.load import Document, load_data
from aitimeline.markup import text
from aitimeline.problems import Problem
from aitimeline.render import Page, Plan, Renderer
from aitimeline.validate import Dataset, validate


@dataclass
class Result:
    """What a run made: pages, files and problems; `failed` names the pages that could not be made
    (a record that fails its checks, a template that fails on a page) with what stopped each."""

    catalog: Catalog | None
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    ahead: Ahead | None = None  # the process rendering `pages`, when they are rendered ahead

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def write(self, out_dir: Path) -> None:
        """Write every page and file under out_dir, as the site would serve them."""
        write_assets([Asset(p.src_uri, p.markdown.encode("utf-8")) for p in self.pages] + self.assets, out_dir)


def check(data_dir: Path, root: Path | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and validate; returns the dataset and every problem, each file's own first."""
    with paused_gc():
        return _check(data_dir, root)


def _check(data_dir: Path, root: Path | None) -> tuple[Dataset, list[Problem]]:
    documents, problems = load_data(data_dir, root)
    dataset = Dataset(documents)
    return dataset, validate(dataset, problems)


@contextmanager
def paused_gc():
    """Pause the cycle collector while the catalog is built: the records hold no garbage cycles, and
    its passes over tens of thousands of fresh objects cost more than the parsing (see benchmarks/)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(data_dir: Path, templates_dir: Path, root: Path | None = None, *,
        keep_going: bool = False, site: dict | None = None, language: str = DEFAULT, fork: bool = False,
        held: dict[str, Document] | None = None) -> Result:
    """Build every page, in `language`. With errors, pages are made only when `keep_going` (the preview): then
    each page is made on its own, and what failed (a record's checks, a template on one page) is
    in `failed` by page. With `fork` (and not `keep_going`), the pages are rendered ahead by a forked
    process in the order of their paths, and each is read when first asked for; close
    `Result.ahead` when done. With `held` (the preview's, kept between runs), a broken file that
    was good before is shown in its last good version (`Dataset.holding`)."""
    root = root or data_dir.parent
    with paused_gc():
        dataset, problems = _check(data_dir, root)
        failed = {p.path for p in problems if p.level == "error"}
        catalog = build_catalog(dataset.holding(failed, {} if held is None else held))
        result = Result(catalog, problems=problems)
        if failed and not keep_going:
            return result
        for problem in problems:
            uri = record_page(problem.path)
            if uri and problem.level == "error":
                result.failed.setdefault(uri, []).append(problem)
        pages = renderer(templates_dir, language)
        charts = plan_charts(catalog, pages.messages)
        plans = pages.plan(catalog, charts, site)
        make = functools.partial(_make, pages, templates_dir, root, keep_going)
        if fork and not keep_going and can_fork():
            result.ahead = Ahead(make, sorted(plans, key=lambda plan: plan.src_uri))
            result.pages = list(result.ahead.later)
        else:
            for plan in plans:
                made = make(plan)
                if isinstance(made, Page):
                    result.pages.append(made)
                    continue
                if made not in result.problems:
                    result.problems.append(made)
                result.failed.setdefault(plan.src_uri, []).append(made)
                if not keep_going:
                    return result
        feed = pages.feed(catalog, (site or {}).get("site_url", ""))
        result.assets = export(catalog) + [feed] + [c.asset for c in charts.values()]
    if result.problems:
        result.pages.append(problems_page(result.problems, Messages(language)))
    return result


def _make(pages: Renderer, templates_dir: Path, root: Path, keep_going: bool, plan: Plan) -> Page | Problem:
    """A page, or the problem that stopped its template (any bug, in the preview, which survives them)."""
    caught = Exception if keep_going else (jinja2.TemplateError, MissingMessage)
    try:
        return pages.render_one(plan)
    except caught as error:
        return template_problem(error, templates_dir, root)


def record_page(path: str) -> str | None:
    """The page a record file makes (`data/models/gpt-4.yaml` → `models/gpt-4.md`), if it is one."""
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] in KINDS and parts[-1].endswith(".yaml"):
        return f"{parts[-2]}/{parts[-1].removesuffix('.yaml')}.md"
    return None


@cache
def renderer(templates_dir: Path, language: str = DEFAULT) -> Renderer:
    """One renderer per templates directory and language, so that a preview's rebuilds reuse compiled templates."""
    return Renderer(templates_dir, language)


def template_problem(error: Exception, templates_dir: Path, root: Path) -> Problem:
    """Name the template file and line where rendering failed."""
    name, line = getattr(error, "name", None), getattr(error, "lineno", None)
    path = (templates_dir / name) if name else templates_dir
    if not name:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".j2"):
                path, line = Path(frame.filename), frame.lineno
                break
    path = path.resolve()
    try:
        path = path.relative_to(root.resolve())
    except ValueError:
        pass
    message = getattr(error, "message", None) or str(error)
    return Problem(path.as_posix(), line or 1, 1, "template-error", f"{type(error).__name__}: {message}")


def _table(problems: list[Problem], words: Messages) -> str:
    head = " | ".join(text(words.t(f"preview.columns.{column}")) for column in ("place", "rule", "message"))
    rows = "".join(f"| {text(f'{p.path}:{p.line}:{p.column}')} | {text(p.rule)} | {text(p.describe())} |\n"
                   for p in problems)
    return f"| {head} |\n| --- | --- | --- |\n" + rows


def problems_page(problems: list[Problem], words: Messages) -> Page:
    """The preview's error page, made without templates so that it works when they are broken.
    Each file's own problems come first, then what they cause elsewhere."""
    title, summary = text(words.t("preview.problems")), text(words.t("preview.summary", n=len(problems)))
    return Page("problems.md", (
        f"---\ntitle: {title}\nsearch: {{exclude: true}}\n---\n\n# {title}\n\n"
        f'!!! failure "{summary}"\n\n' + _table(problems, words)
    ))


def held_page(src_uri: str, problems: list[Problem], last_good: str | None, words: Messages) -> str:
    """A page that could not be made this time: its last good text under a banner naming what
    stopped it, or, if it never rendered, the problems at its own address."""
    banner = (f'!!! failure "{text(words.t("preview.held" if last_good is not None else "preview.unmade"))}"\n\n'
              + _indent(_table(problems, words)) + "\n")
    if last_good is None:
        return f"---\ntitle: {text(words.t('preview.unmade_title'))}\n---\n\n# {text(src_uri)}\n\n{banner}"
    head, sep, body = last_good.partition("\n---\n") if last_good.startswith("---\n") else ("", "", last_good)
    return f"{head}{sep}\n{banner}\n{body}"


def _indent(block: str) -> str:
    return "".join("    " + line if line.strip() else line for line in block.splitlines(keepends=True))
