"""MkDocs glue: generate the pages in memory, watch data/ and templates/, report problems."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from aitimeline import csp, pipeline
from aitimeline.export import write_assets
from aitimeline.problems import format_parsable

log = logging.getLogger("mkdocs.plugins.aitimeline")
LISTED = {"index.md", "years", "topics", "problems.md"}


class AitimelineConfig(Config):
    data_dir = c.Type(str, default="data")
    templates_dir = c.Type(str, default="templates")
    nav_topics = c.Type(bool, default=True)


class AitimelinePlugin(BasePlugin[AitimelineConfig]):
    is_serve = False
    writer = None
    built: dict = {}  # src_uri -> what the page was made from, in the last build
    stale: list = []

    def on_startup(self, *, command, dirty) -> None:
        self.is_serve = command == "serve"

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        data_dir, templates_dir = root / self.config.data_dir, root / self.config.templates_dir
        config.watch.extend(str(d) for d in (data_dir, templates_dir) if str(d) not in config.watch)
        self.result = pipeline.run(data_dir, templates_dir, root, keep_going=self.is_serve,
                                   site={"repo_url": config.repo_url or "", "site_url": config.site_url or ""})
        if self.result.problems:
            for line in format_parsable(self.result.problems).splitlines():
                log.error(line) if not self.is_serve else log.warning(line)
        if self.result.errors and not self.is_serve:
            raise PluginError(f"aitimeline: {len(self.result.errors)} problem(s); nothing was built")
        _add_search_words(self.result.catalog)
        if self.config.nav_topics and config.nav:
            config.nav = expand_topics(config.nav, sorted(self.result.catalog.topics))
        return config

    def on_files(self, files: Files, config) -> Files:
        built = {}
        for page in self.result.pages:
            listed = page.src_uri.split("/")[0] in LISTED or page.src_uri.endswith("/index.md")
            file = _Page.generated(config, page.src_uri, content=page.markdown,
                                   inclusion=InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV)
            file.edit_uri = f"../{page.edit_path}" if page.edit_path else None
            built[page.src_uri] = (page.markdown, len(self.result.problems))
            file.modified = self.built.get(page.src_uri) != built[page.src_uri]
            if files.get_file_from_path(page.src_uri):
                files.remove(files.get_file_from_path(page.src_uri))
            files.append(file)
        self.stale = [File(uri, None, config.site_dir, config.use_directory_urls).abs_dest_path
                      for uri in self.built.keys() - built.keys()]
        self.built = built
        for asset in self.result.assets:
            if not asset.deferred:
                files.append(File.generated(config, asset.uri, content=asset.content))
            else:
                files.append(_Written.generated(config, asset.uri, content=b""))
        self._wait_for_writer()
        self.writer = _write_in_background([a for a in self.result.assets if a.deferred], Path(config.site_dir))
        return files

    def on_post_build(self, *, config) -> None:
        for path in self.stale:  # pages gone since the last build (a preview keeps its site_dir)
            Path(path).unlink(missing_ok=True)
        if not self.is_serve:  # a preview shows the pages at once; the charts follow a moment later
            self._wait_for_writer()

    def _wait_for_writer(self) -> None:
        writer, self.writer = self.writer, None
        if writer is None:
            return
        writer.join()
        if writer.exitcode:
            message = f"aitimeline: writing the charts and API files failed (exit code {writer.exitcode})"
            if not self.is_serve:
                raise PluginError(message)
            log.error(message)

    def on_post_page(self, output: str, *, page, config) -> str:
        # the preview's live-reload script is inline and changes on every build: no policy there
        return output if self.is_serve else csp.protect(output)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        return output_content if self.is_serve or not template_name.endswith(".html") else csp.protect(output_content)

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if not self.result.problems or page.file.src_uri == "problems.md":
            return markdown
        count = len(self.result.problems)
        link = "/".join([".."] * page.file.src_uri.count("/") + ["problems.md"])
        return f'!!! failure "数据有 {count} 个问题"\n\n    [查看问题列表]({link})\n\n' + markdown


class _Page(File):
    """A generated page. Under `mkdocs serve --dirty` it is rebuilt only when its text (or the
    number of problems, which every page shows) changed since the last build."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


class _Written(File):
    """A site file that the background writer puts in place itself: MkDocs must not copy it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def _write_in_background(assets: list, site_dir: Path):
    """Write the deferred assets (charts, API files) from a forked process, so that they are made on
    the other core while MkDocs builds the pages; without fork, write them here and now."""
    if not assets:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        write_assets(assets, site_dir)
        return None
    process = multiprocessing.get_context("fork").Process(target=write_assets, args=(assets, site_dir), daemon=True)
    process.start()
    return process


def expand_topics(nav: list, topics: list[str]) -> list:
    """Turn a nav entry `topics/index.md` into a section of every topic page."""
    section = ["topics/index.md"] + [f"topics/{t}.md" for t in topics]
    expanded = []
    for item in nav:
        if isinstance(item, dict):
            (title, value), = item.items()
            if value == "topics/index.md":
                item = {title: section}
            elif isinstance(value, list):
                item = {title: expand_topics(value, topics)}
        expanded.append(item)
    return expanded


def _add_search_words(catalog) -> None:
    """Teach jieba (Material's Chinese segmenter) every name in the catalog."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    words = {t["name"]["zh"] for t in catalog.topics.values()}
    for record in catalog.records.values():
        words.add(record.name["zh"])
        words.update(record.data.get("aliases") or [])
    for word in sorted(words):
        if any("\u4e00" <= ch <= "\u9fff" for ch in word):
            jieba.add_word(word)
