"""MkDocs glue: generate the pages in memory, watch data/ and templates/, report problems.

Under `mkdocs serve` a broken edit never empties the preview: a page that cannot be made keeps its
last good text under a banner naming the problem (or shows its problems at its own address), a
script on every page links to the list of problems, and only pages whose text changed are rebuilt.
Under `mkdocs build` the other core renders the pages ahead (`ahead`) and finishes what MkDocs
writes (`finish`)."""

from __future__ import annotations

import functools
import html
import logging
import threading
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from aitimeline import csp, pipeline, search
from aitimeline.ahead import Failed
from aitimeline.compact import compact
from aitimeline.export import Asset, write_assets
from aitimeline.finish import Finisher, FinishError
from aitimeline.i18n import DEFAULT, LANGUAGES, Messages
from aitimeline.problems import format_json, format_parsable

log = logging.getLogger("mkdocs.plugins.aitimeline")
LISTED = {"index.md", "years", "topics"}
PREVIEW_SCRIPT = "assets/aitimeline-preview.js"
PROBLEMS_JSON = "problems.json"


class AitimelineConfig(Config):
    data_dir = c.Dir(exists=True, default="data")
    templates_dir = c.Dir(exists=True, default="templates")
    nav_topics = c.Type(bool, default=True)
    language = c.Choice(LANGUAGES, default=DEFAULT)  # the site's language; another than zh is built under <site_url><language>/
    shared_dir = c.Optional(c.Dir(exists=True))  # a docs dir whose assets/ this site serves too (the Chinese docs/)
    search_index = c.Type(bool, default=True)  # false: no search index (a quicker build, with search not working)


class AitimelinePlugin(BasePlugin[AitimelineConfig]):
    supports_multiple_instances = False

    def __init__(self):
        super().__init__()
        self.is_serve = False
        self.result: pipeline.Result | None = None
        self.built: dict[str, str] = {}  # src_uri -> text of the page in the last build
        self.good: dict[str, str] = {}  # src_uri -> last text made without a problem (the preview's fallback)
        self.documents: dict = {}  # data file -> its last good document, which the preview shows while it is broken
        self.written: dict[str, str] = {}  # asset uri -> key of what the preview last wrote
        self.finisher: Finisher | None = None  # `mkdocs build`: the process that finishes the written pages
        self.pages: dict[str, tuple[str, str]] = {}  # the preview's: file -> (path in the site, what search indexes)
        self.indexer = None  # the preview's search indexing, which runs after the reload
        self.pending: tuple[Path, list] | None = None  # a site and its pages to index once the running indexing ends
        self.lock = threading.Lock()
        self.compiled = _Compiled()  # the theme's templates, compiled once for all of a preview's rebuilds
        self.observer = None  # the preview's watch on data/ and templates/ (on_serve)

    def on_startup(self, *, command, dirty) -> None:
        self.is_serve = command == "serve"
        self.dirty = dirty

    def on_config(self, config):
        data_dir, templates_dir = Path(self.config.data_dir), Path(self.config.templates_dir)
        root = Path(config.config_file_path).parent
        language = self.config.language
        words = self.words = Messages(language)
        config.site_name = words.t("site.title")
        config.extra["messages"] = words.catalogue  # the theme's own words: overrides/partials/search.html
        if language != DEFAULT and config.site_url and not config.site_url.endswith(f"/{language}/"):
            config.site_url = f"{config.site_url.rstrip('/')}/{language}/"
        for alt in config.extra.get("languages", []):  # each language's root as a full URL, for hreflang
            alt["url"] = urljoin(config.site_url, alt["link"]) if config.site_url else None
        self.up = "../" * len(Path(config.docs_dir).resolve().relative_to(root.resolve()).parts)  # docs_dir → root
        config.watch.extend(str(d) for d in (data_dir, templates_dir) if str(d) not in config.watch)
        self.result = pipeline.run(data_dir, templates_dir, root, keep_going=self.is_serve, language=language,
                                   site={"repo_url": config.repo_url or "", "site_url": config.site_url or ""},
                                   fork=not self.is_serve,  # a preview keeps its renderer's pages between builds
                                   held=self.documents if self.is_serve else None)
        for line in format_parsable(self.result.problems).splitlines():
            log.warning(line) if self.is_serve else log.error(line)
        if self.result.errors and not self.is_serve:
            raise PluginError(f"aitimeline: {len(self.result.errors)} problem(s); nothing was built")
        if self.config.nav_topics and config.nav:
            config.nav = expand_topics(config.nav, sorted(self.result.catalog.topics))
        return config

    def on_files(self, files: Files, config) -> Files:
        pages = {page.src_uri: page for page in self.result.pages}
        texts = self._preview_texts(pages) if self.is_serve else {}
        for uri in sorted(pages.keys() | self.result.failed.keys()):  # the order pages are rendered ahead in
            page = pages.get(uri)
            listed = uri.split("/")[0] in LISTED or uri.endswith("/index.md")
            file = _Page.generated(config, uri, content=texts.get(uri, ""),
                                   inclusion=InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV)
            file.source = None if self.is_serve else page
            edit_path = page.edit_path if page else self.result.failed[uri][0].path
            file.edit_uri = f"{self.up}{edit_path}" if edit_path else None
            file.modified = not self.is_serve or self.built.get(uri) != texts[uri]
            if files.get_file_from_path(uri):
                files.remove(files.get_file_from_path(uri))
            files.append(file)
        self.stale = [File(uri, None, config.site_dir, config.use_directory_urls).abs_dest_path
                      for uri in self.built.keys() - texts.keys()]
        self.built = texts
        if self.config.shared_dir:
            _add_shared(files, Path(self.config.shared_dir), config)
        assets = self.result.assets + ([Asset(PROBLEMS_JSON, format_json(self.result.problems).encode())]
                                       if self.is_serve else [])
        for asset in assets:
            files.append(_Written.generated(config, asset.uri, content=b""))
        if self.is_serve:
            self.assets = assets
        else:  # the site folder is clean by now: the other core writes the assets while MkDocs reads the pages
            self.finisher = self._finish(lambda: Finisher(Path(config.site_dir), assets,
                                                          index=self.config.search_index and not self.dirty))
        return files

    def _preview_texts(self, pages: dict) -> dict[str, str]:
        """Each page's text; a page that failed is held at its last good text (`pipeline.held_page`)."""
        texts = {uri: page.markdown for uri, page in pages.items()}
        for uri, problems in self.result.failed.items():
            texts[uri] = pipeline.held_page(uri, problems, self.good.get(uri), self.words)
        self.good.update((uri, text) for uri, text in texts.items() if uri not in self.result.failed)
        return texts

    def on_env(self, env, *, config, files):
        if self.is_serve:
            self._write_changed(self.assets, Path(config.site_dir))
        else:  # the pages have been read: the process rendering them is done
            self._stop_rendering()
        env.bytecode_cache = self.compiled
        return env

    def on_post_page(self, output: str, *, page, config) -> str:
        if not self.is_serve:
            self._finish(lambda: self.finisher.add(page.file.abs_dest_path, page.file.dest_uri))
            return output
        output = compact(output)
        if self.config.search_index:
            self._keep_for_index(page.file, output)
        # The live-reload script is inline and changes on every build: no security policy in the preview.
        script = "/".join([".."] * page.file.dest_uri.count("/") + [PREVIEW_SCRIPT])
        banner = html.escape(self.words.t("preview.banner"), quote=True)
        return output.replace("</body>", f'<script src="{script}" data-problems="{PROBLEMS_JSON}" '
                              f'data-banner="{banner}"></script></body>', 1)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if not template_name.endswith(".html"):
            return output_content
        output_content = compact(output_content)
        return output_content if self.is_serve else csp.protect(output_content)

    def on_post_build(self, *, config) -> None:
        for path in self.stale:  # pages gone since the last build (a preview keeps its site_dir)
            Path(path).unlink(missing_ok=True)
            self.pages.pop(path, None)
        site_dir = Path(config.site_dir)
        if not self.is_serve:
            finisher, self.finisher = self.finisher, None
            done = self._finish(finisher.close)
            if done:
                log.info(f"aitimeline: search index of {done.pages} pages written in {done.seconds:.1f} s")
            elif self.config.search_index:  # a dirty build
                _index(lambda: search.index_site(site_dir), _fail)
        elif self.config.search_index:  # a preview shows the pages at once; the search index follows
            self._index_later(site_dir)

    def on_build_error(self, *, error) -> None:
        self._stop_rendering()
        finisher, self.finisher = self.finisher, None
        if finisher is not None:
            finisher.stop()

    def _stop_rendering(self) -> None:
        if self.result and self.result.ahead:
            self.result.ahead.close()

    @staticmethod
    def _finish(step):
        try:
            return step()
        except FinishError as error:
            raise PluginError(f"aitimeline: {error}") from None

    def _keep_for_index(self, file: File, output: str) -> None:
        """Keep what search indexes of a page the preview wrote, for the index made after the reload."""
        indexed = search.page_for_index(output)
        if indexed is None:
            self.pages.pop(file.abs_dest_path, None)
        else:
            self.pages[file.abs_dest_path] = (file.dest_uri, indexed)

    def on_serve(self, server, *, config, builder):
        """Start a rebuild as soon as the system reports a save under data/ or templates/ (inotify and
        the like), not at MkDocs' next look at every file, which it takes every half second. That
        polling goes on too, for mounts that report nothing (network drives, some containers)."""
        if not hasattr(server, "_rebuild_cond"):  # a server that rebuilds otherwise: it polls alone
            return server
        self.observer = watchdog.observers.Observer()
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = functools.partial(_rebuild_soon, server)
        for path in (self.config.data_dir, self.config.templates_dir):
            self.observer.schedule(handler, path, recursive=True)
        self.observer.start()
        return server

    def on_shutdown(self) -> None:
        indexer = self.indexer
        if indexer is not None:
            indexer.join()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join()

    def _index_later(self, site_dir: Path) -> None:
        """Index the preview's site in the background, never holding up the next rebuild: saves made
        while an index is being written ask for one more, which follows it."""
        with self.lock:
            self.pending = (site_dir, list(self.pages.values()))
            if self.indexer is None:
                self.indexer = threading.Thread(target=self._index_while_pending, daemon=True)
                self.indexer.start()

    def _index_while_pending(self) -> None:
        while True:
            with self.lock:
                pending, self.pending = self.pending, None
                if pending is None:
                    self.indexer = None
                    return
            site_dir, pages = pending
            _index(functools.partial(search.index_pages, pages, site_dir, background=True), log.error)

    def _write_changed(self, assets: list[Asset], site_dir: Path) -> None:
        """Write the assets whose data changed since the last preview build; remove those gone."""
        keep = {}
        for asset in assets:
            path = site_dir / asset.uri
            key = asset.version
            if self.written.get(asset.uri) != key or not path.exists():
                write_assets([asset], site_dir)
            keep[asset.uri] = key
        for uri in self.written.keys() - keep.keys():
            (site_dir / uri).unlink(missing_ok=True)
        self.written = keep


def _rebuild_soon(server, event) -> None:
    """What MkDocs' own watcher does on a change (mkdocs.livereload.LiveReloadServer.watch)."""
    if not event.is_directory:
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates kept in memory: MkDocs makes a new theme environment for every build, and
    compiling Material's templates again each time was a tenth of a preview's rebuild. Jinja checks
    each template's source against its checksum, so an edited override is compiled afresh."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def _index(write, report) -> None:
    """Write the search index (`write()`); `report` gets the message if that fails."""
    try:
        done = write()
    except search.SearchError as error:
        report(f"aitimeline: search: {error}")
        return
    log.info(f"aitimeline: search index of {done.pages} pages written in {done.seconds:.1f} s")


def _fail(message: str) -> None:
    raise PluginError(message)


class _Page(File):
    """A generated page. Under `mkdocs serve --dirty` it is rebuilt only when its text changed.
    Under `mkdocs build` its text comes from `source`, a page rendered ahead by another process,
    when MkDocs reads it."""

    modified = True
    source = None  # under `mkdocs build`: the page (`render.Page`, `ahead.Later`) to read the text of

    def is_modified(self) -> bool:
        return self.modified

    @property
    def content_string(self) -> str:
        if self.source is None:
            return super().content_string
        try:
            return self.source.markdown
        except Failed as failed:
            log.error(format_parsable([failed.problem]).rstrip())
            raise PluginError("aitimeline: a template failed; nothing was built") from None
        except RuntimeError as error:
            raise PluginError(f"aitimeline: {error}") from None

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)
        self.source = None

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        File.content_bytes.fset(self, value)
        self.source = None


class _Written(File):
    """A site file that the plugin writes itself: MkDocs must not copy it."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def _add_shared(files: Files, shared: Path, config) -> None:
    """Serve the shared docs dir's assets/ (styles, scripts) as this site's own, unless it has its own."""
    for path in sorted((shared / "assets").rglob("*")):
        uri = path.relative_to(shared).as_posix()
        if path.is_file() and not files.get_file_from_path(uri):
            files.append(File(uri, str(shared), config.site_dir, config.use_directory_urls))


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

