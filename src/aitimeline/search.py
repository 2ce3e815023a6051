"""Full-text search: the Pagefind index of the built site, and the words that find a record by name.

Pagefind (the `pagefind[extended]` wheel, which carries the binary) reads the HTML after the build and
writes `pagefind/` into the site: an index split into fragments, so that a query loads a few of them
whatever the size of the site. What it indexes and how it ranks is marked in the templates with
data-pagefind-* attributes; this module runs it, and spells the names by which a record is found.
No MkDocs here.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import queue
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

OUTPUT = "pagefind"
# Words per part of the index (counted in places they occur), for Pagefind's not yet documented
# setting: 8,000 rather than its 20,000 halves what a query loads (see docs/benchmarks.md).
CHUNK = 8000
# Never indexed: heading anchors (¶), Material's edit button, the problems banner of the preview, and the
# labels of tables (their heads, and the first column of a record's facts: 参数量, 发布 …), which are
# the same on every page of a kind, so match most pages and rank none (a record's own words do).
EXCLUDE = ".headerlink, .md-content__button, .admonition.failure, thead, .at-facts td:first-child"
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits, of any script
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(_CJK.pattern.replace("[", "[^", 1) + "+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_MARK = " data-pagefind-body"
_VALUE = r"""\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+)"""  # a quoted value whole
_ATTRIBUTE = rf"""\s+[^\s"'<>=]+(?:{_VALUE})?"""
_ATTRIBUTES = rf"(?:{_ATTRIBUTE})*"
_TAG = re.compile(rf"<(\w+){_ATTRIBUTES}")  # a start tag, up to a point between its attributes
_META = re.compile(rf"<meta\b{_ATTRIBUTES}\s*/?>")
_MARKED = re.compile(r"""\sdata-pagefind-|("[^"]*"|'[^']*')""")  # the attribute, or a value to pass over
_ROOT = re.compile(r"<html\b[^>]*>")
_IGNORED = re.compile(rf"<(\w+)(?:{_ATTRIBUTE})*?\s+data-pagefind-ignore(?:{_VALUE})?{_ATTRIBUTES}\s*/?>")
# Pagefind's ready-made interfaces, highlighter and web worker: the site's search (assets/search.js) uses its
# API alone, on the page's thread, so these are not written.
_UNUSED = re.compile(r"pagefind-(?:ui|modular-ui|component-ui|highlight|worker)\.(?:js|css)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class SearchError(Exception):
    """Pagefind is missing or failed; the message says why."""


@dataclass(frozen=True)
class Indexed:
    pages: int
    seconds: float


def key(text: str) -> str:
    """The one word that search looks a name up by (assets/search.js makes the same from a query).

    Pagefind would split a Chinese query with the browser's dictionary (英伟达 → 英伟|达), which
    rarely agrees with how it split the page. So letters and digits are kept, lower-cased and run
    together, after `zy`; text with Chinese, Japanese or Korean in it is spelled out instead, after
    `zz`, as three base-36 digits a character (`z` and four past U+B12F): an ASCII word that
    nothing splits, whose prefixes are the prefixes of the name (英伟 → zzpv5fmn starts 英伟达's
    zzpv5fmnse6), and that only these keys start with."""
    plain = "".join(_TOKEN.findall(text.lower()))
    if not _CJK.search(plain):
        return "zy" + plain
    return "zz" + "".join(_code(ord(c)) for c in plain)


def _code(point: int) -> str:
    width, prefix = (3, "") if point < 35 * 36**2 else (4, "z")
    return prefix + "".join(_DIGITS[point // 36**k % 36] for k in reversed(range(width)))


def name_keys(names: Iterable[str]) -> str:
    """The words by which a record is found from any of its names: the key of each name and of each
    of its tails that starts a word or a Chinese character (华为昇腾 910B → 华为昇腾910b, 为昇腾910b,
    昇腾910b, 腾910b, 910b), so that a query finds the names it begins, or begins a part of."""
    words: dict[str, None] = {}
    for name in names:
        tokens = _TOKEN.findall(name.lower())
        plain = "".join(tokens)
        starts = {sum(map(len, tokens[:i])) for i in range(len(tokens))}
        starts |= {i for i, c in enumerate(plain) if _CJK.match(c) or (i and _CJK.match(plain[i - 1]))}
        for i in sorted(starts):
            words[key(plain[i:])] = None
            latin = _LATIN.match(plain, i)  # GPT-4V（视觉版）: gpt4v alone too, for a query that stops there
            if latin and latin.end() < len(plain):
                words[key(latin.group())] = None
    return " ".join(words)


def executable() -> Path:
    """The Pagefind binary that the `pagefind[extended]` wheel installed."""
    try:
        from pagefind.service import get_executable
    except ImportError as error:
        raise SearchError("the Python package 'pagefind[extended]' is not installed: run `make test` or "
                          "`pip install -e .`") from error
    path = get_executable()
    if path is None or not Path(path).is_file():
        raise SearchError("no Pagefind binary found: install 'pagefind[extended]' (the wheel carries it)")
    return Path(path)


def page_for_index(html: str) -> str | None:
    """What Pagefind needs of a built page: its <html> tag (the language), the <meta> elements of its
    head marked data-pagefind-* and the element marked data-pagefind-body, whole but for the elements
    in it marked data-pagefind-ignore (lists, sources: half of a record page); None for a page without
    one. Pagefind indexes nothing else of a page that has one, and parsing Material's navigation around
    it, or the parts it would leave out, would double its work."""
    mark = html.find(_MARK)
    while mark >= 0:  # the attribute, not the same words in a text or in another attribute's value
        start = html.rfind("<", 0, mark)
        tag = _TAG.fullmatch(html, start, mark)
        if tag and html[mark + len(_MARK):mark + len(_MARK) + 1] in ("", " ", "=", ">", "/", "\t", "\n"):
            break
        mark = html.find(_MARK, mark + 1)
    else:
        return None
    end = _end(html, start, tag.group(1))
    if end is None:
        return None
    root = _ROOT.search(html, 0, start)
    head = html.find("</head>", 0, start)
    metas = "".join(meta for meta in _META.findall(html, 0, head if head >= 0 else start)
                    if any(not value.group(1) for value in _MARKED.finditer(meta)))
    return (f"<!doctype html>{root.group() if root else '<html>'}<head>{metas}</head>"
            f"<body>{_without_ignored(html, start, end)}</body></html>")


def _end(html: str, start: int, name: str) -> int | None:
    """Where the element whose start tag begins at start ends (past its end tag); None if it does not."""
    depth = 0
    for found in re.compile(rf"<(/?){name}\b").finditer(html, start):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html.index(">", found.end()) + 1
    return None


def _without_ignored(html: str, start: int, end: int) -> str:
    """html[start:end] less the elements marked data-pagefind-ignore that hold no data-pagefind-*
    attribute (whose filters or metadata Pagefind would still read): Pagefind indexes the page the
    same without them, words on either side included (tests/test_search.py)."""
    parts, at = [], start
    for tag in _IGNORED.finditer(html, start, end):
        if tag.start() < at or tag.group(1).lower() in _VOID:
            continue
        stop = _end(html, tag.start(), tag.group(1))
        if stop is None or stop > end or "data-pagefind-" in html[tag.end():stop]:
            continue
        parts.append(html[at:tag.start()])
        at = stop
    parts.append(html[at:end])
    return "".join(parts)


def url_of(path: str) -> str:
    """The URL Pagefind gives the page at path (relative to the site), as it does for `--site`."""
    return "/" + path.removesuffix("index.html")


class Indexer:
    """A Pagefind service (`pagefind --service`) that indexes pages as they are given, so that a
    build hands each page over as it writes it and Pagefind parses it on the other core; write()
    then writes the index. add() only queues a page: a thread writes the queue to the service as fast
    as it reads, so a build never waits for it. In the `background` (the preview's) it runs at the
    lowest CPU priority.

    Pagefind's own Python client reads one answer per tenth of a second, far too slow for
    thousands of pages; this speaks its protocol (base64 JSON messages ending in a comma) itself.
    The index comes back as files in the answer and is written here: the service's own writing
    may still be under way when it answers, and it exits as soon as its input ends."""

    def __init__(self, background: bool = False):
        self.error, self.answers, self.last, self.paths = None, {}, 0, {}
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()  # messages for the service: add() never waits for it
        self.done = threading.Condition()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([str(executable()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log,
                                        env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK)},
                                        preexec_fn=_lowest_priority if background and hasattr(os, "nice") else None)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.feeder = threading.Thread(target=self._feed, daemon=True)
        self.feeder.start()
        config = {"exclude_selectors": [s.strip() for s in EXCLUDE.split(",")]}
        self.index = self._ask({"type": "NewIndex", "config": config})["index_id"]

    def add(self, path: str, page: str) -> None:
        """Index the page written at path (relative to the site): page_for_index() of it."""
        number = self._send({"type": "AddFile", "index_id": self.index, "url": url_of(path), "file_path": None,
                             "file_contents": page})
        self.paths[number] = path

    def write(self, site_dir: Path) -> Indexed:
        """Write the index into site_dir/pagefind/, replacing the previous one only once the new one is
        complete (a preview keeps serving the old one meanwhile); the service then ends."""
        start, site_dir = time.perf_counter(), Path(site_dir)
        try:
            if not self.paths:
                raise SearchError(f"no page under {site_dir} has an element marked data-pagefind-body")
            files = {file["path"]: base64.b64decode(file["content"])
                     for file in self._ask({"type": "GetFiles", "index_id": self.index})["files"]
                     if not _UNUSED.fullmatch(file["path"])}
        finally:
            self.close()
        _sort_filters(files)
        staging, old = site_dir / f".{OUTPUT}-new", site_dir / f".{OUTPUT}-old"
        for path in (staging, old):
            shutil.rmtree(path, ignore_errors=True)
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        target = site_dir / OUTPUT
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return Indexed(pages=len(list((target / "fragment").iterdir())), seconds=time.perf_counter() - start)

    def close(self) -> None:
        """End the service (at once, if the index was not written)."""
        self.outbox.put(None)
        self.feeder.join()
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.reader.join()

    def _send(self, payload: dict) -> int:
        self.last += 1
        self.outbox.put({"message_id": self.last, "payload": payload})
        return self.last

    def _feed(self) -> None:
        """Write the messages to the service as it takes them (a build goes on meanwhile)."""
        for message in iter(self.outbox.get, None):
            try:
                text = json.dumps(message, ensure_ascii=False).encode("utf-8")
                self.process.stdin.write(base64.b64encode(text) + b",")
                if self.outbox.empty():
                    self.process.stdin.flush()
            except OSError:  # the service ended; _ask() says why
                pass

    def _ask(self, payload: dict) -> dict:
        """Send payload, wait for its answer and return it; a failure so far is raised."""
        number = self._send(payload)
        with self.done:
            self.done.wait_for(lambda: number in self.answers or self.error is not None)
            if self.error is not None:
                raise SearchError(self.error)
            return self.answers.pop(number)

    def _read(self) -> None:
        """Take the service's answers (it blocks if they are not read): keep those asked for, stop at
        the first error."""
        pending: list[bytes] = []  # the start of an answer (the index's files come as one answer of megabytes)
        for chunk in iter(lambda: self.process.stdout.read1(1 << 16), b""):
            pending.append(chunk)
            if b"," not in chunk:
                continue
            *messages, rest = b"".join(pending).split(b",")
            pending = [rest]
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                number, payload = answer.get("message_id"), answer["payload"]
                with self.done:
                    if payload["type"] == "Error":
                        page = f" {self.paths[number]}" if number in self.paths else ""
                        self.error = self.error or f"Pagefind failed{page}: {payload['message']}"
                    elif payload["type"] != "IndexedFile":
                        self.answers[number] = payload
                    self.done.notify_all()
        self.process.wait()
        with self.log, self.done:
            self.log.seek(0)
            self.error = self.error or (f"Pagefind ended (exit code {self.process.returncode}): "
                                        f"{self.log.read().decode('utf-8', 'replace').strip()[-2000:]}")
            self.done.notify_all()


def index_pages(pages: Iterable[tuple[str, str]], site_dir: Path, background: bool = False) -> Indexed:
    """Index (path in the site, page_for_index() of the page) pairs into site_dir/pagefind/."""
    indexer = Indexer(background)
    try:
        for path, page in pages:
            indexer.add(path, page)
    except BaseException:
        indexer.close()
        raise
    return indexer.write(site_dir)


def index_site(site_dir: Path) -> Indexed:
    """Index the pages of a built site into site_dir/pagefind/."""
    return index_pages(_built_pages(Path(site_dir)), site_dir)


def _built_pages(site_dir: Path) -> Iterable[tuple[str, str]]:
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        page = None if relative.parts[0].startswith((".", OUTPUT)) else page_for_index(path.read_text("utf-8"))
        if page is not None:
            yield relative.as_posix(), page


def _lowest_priority() -> None:
    os.nice(19)


# Pagefind writes filters and their values in a random order (a Rust HashMap's), so two builds of the same
# site would differ in the filter files and, through their names, in the metadata file and the entry.
# They are put in order here, and those files named after what they now hold. They are
# gzip'd CBOR after the 12 bytes `pagefind_dcd`; only integers, text and arrays occur (negative integers
# in the index's lists of word places, which only tests read).
_SIGNATURE = b"pagefind_dcd"


def _sort_filters(files: dict[str, bytes]) -> None:
    entry = json.loads(files["pagefind-entry.json"])
    for language, info in entry["languages"].items():
        meta = _parse(files.pop(f"pagefind.{info['hash']}.pf_meta"))
        for item in meta[3]:  # [filter name, file hash]
            name, values = _parse(files.pop(f"filter/{item[1]}.pf_filter"))
            item[1] = _store(files, f"filter/{language}_", ".pf_filter", [name, sorted(values)], 7).removeprefix("filter/")
        meta[3].sort()
        info["hash"] = _store(files, f"pagefind.{language}_", ".pf_meta", meta, 10).removeprefix("pagefind.")
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _parse(gzipped: bytes):
    return _decode(_unpack(gzipped), len(_SIGNATURE))[0]


def _parse_json(gzipped: bytes):
    """A page's fragment, which is JSON after the same signature."""
    return json.loads(_unpack(gzipped)[len(_SIGNATURE):])


def _unpack(gzipped: bytes) -> bytes:
    data = gzip.decompress(gzipped)
    if not data.startswith(_SIGNATURE):
        raise SearchError("Pagefind wrote a file this version does not understand")
    return data


def _store(files: dict[str, bytes], prefix: str, suffix: str, value, length: int) -> str:
    """Add value to files under a name made from its hash; returns the name without the suffix."""
    data = _encode(value)
    stem = prefix + hashlib.sha1(data).hexdigest()[:length]
    files[stem + suffix] = gzip.compress(_SIGNATURE + data, compresslevel=9, mtime=0)
    return stem


def _decode(data: bytes, at: int):
    kind, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        size = info
    else:
        width = 1 << (info - 24)
        size = int.from_bytes(data[at:at + width], "big")
        at += width
    if kind == 0:
        return size, at
    if kind == 1:
        return -1 - size, at
    if kind == 3:
        return data[at:at + size].decode("utf-8"), at + size
    if kind == 4:
        items = []
        for _ in range(size):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise SearchError(f"unexpected CBOR major type {kind} in a Pagefind file")


def _encode(value) -> bytes:
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(map(_encode, value))


def _head(kind: int, size: int) -> bytes:
    if size < 24:
        return bytes([kind << 5 | size])
    for info, form in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if size < 1 << (8 * struct.calcsize(form)):
            return bytes([kind << 5 | info]) + struct.pack(form, size)
    raise ValueError(size)
