"""One ordering for every caller: load → validate → catalog → render."""

from __future__ import annotations

import gc
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from aitimeline.catalog import Catalog, build_catalog
from aitimeline.charts import plan_charts
from aitimeline.export import Asset, export, write_assets
from aitimeline.load import load_data
from aitimeline.markup import text
from aitimeline.problems import Problem
from aitimeline.render import Page, Renderer
from aitimeline.validate import Dataset, validate


@dataclass
class Result:
    catalog: Catalog | None
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def write(self, out_dir: Path) -> None:
        """Write every page and file under out_dir, as the site would serve them."""
        write_assets([Asset(p.src_uri, p.markdown.encode("utf-8")) for p in self.pages] + self.assets, out_dir)


def check(data_dir: Path, root: Path | None = None) -> tuple[Dataset, list[Problem]]:
    """Load and validate; returns the dataset and every problem, each file's own first."""
    with paused_gc():
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
        keep_going: bool = False, site: dict | None = None) -> Result:
    """Build every page. With errors, pages are made only when `keep_going` (the preview):
    then the valid records are rendered and a problems page lists the rest."""
    root = root or data_dir.parent
    with paused_gc():
        dataset, problems = check(data_dir, root)
        failed = {p.path for p in problems if p.level == "error"}
        catalog = build_catalog(dataset, skip=failed)
        result = Result(catalog, problems=problems)
        if failed and not keep_going:
            return result
        try:
            charts = plan_charts(catalog)
            result.pages = renderer(templates_dir).render(catalog, charts, site)
            result.assets = export(catalog, (site or {}).get("site_url", "")) + [c.asset for c in charts.values()]
        except jinja2.TemplateError as error:
            result.problems.append(template_problem(error, templates_dir, root))
            if not keep_going:
                return result
    if result.problems:
        result.pages.append(problems_page(result.problems))
    return result


@cache
def renderer(templates_dir: Path) -> Renderer:
    """One renderer per templates directory, so that a preview's rebuilds reuse compiled templates."""
    return Renderer(templates_dir)


def template_problem(error: jinja2.TemplateError, templates_dir: Path, root: Path) -> Problem:
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
    return Problem(path.as_posix(), line or 1, 1, "template-error", f"{type(error).__name__}: {error.message}")


def problems_page(problems: list[Problem]) -> Page:
    """The preview's error page, made without templates so that it works when they are broken."""
    rows = "".join(f"| {text(f'{p.path}:{p.line}:{p.column}')} | {text(p.rule)} | {text(p.describe())} |\n"
                   for p in problems)
    return Page("problems.md", (
        "---\ntitle: 数据错误\n---\n\n# 数据错误\n\n"
        f'!!! failure "{len(problems)} 个问题：有错误的记录暂不显示，修正后预览会自动刷新。"\n\n'
        "| 位置 | 规则 | 说明 |\n| --- | --- | --- |\n" + rows
    ))
