"""Full-text search: the Pagefind index of the built site, and the words that find a record by name.

Pagefind (the `pagefind[extended]` wheel, which carries the binary) reads the HTML after the build and
writes `pagefind/` into the site: an index split into fragments, so that a query loads a few of them
whatever the size of the site. What it indexes and how it ranks is marked in the templates with
data-pagefind-* attributes; this module runs it, and spells the names by which a record is found.
No MkDocs here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

OUTPUT = "pagefind"
# Words per part of the index (counted in places they occur), for Pagefind's not yet documented
# setting: 8,000 rather than its 20,000 halves what a query loads (see docs/benchmarks.md).
CHUNK = 8000
# Never indexed: heading anchors (¶), Material's edit button, the problems banner of the preview.
EXCLUDE = ".headerlink, .md-content__button, .admonition.failure"
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits, of any script
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(_CJK.pattern.replace("[", "[^", 1) + "+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


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


def index_site(site_dir: Path, background: bool = False) -> Indexed:
    """Index the HTML under site_dir into site_dir/pagefind/, replacing the previous index only once
    the new one is complete (a preview keeps serving the old one meanwhile). In the `background`
    (the preview's), Pagefind runs at the lowest CPU priority, so that it never slows a rebuild."""
    site_dir = Path(site_dir)
    staging, old = site_dir / f".{OUTPUT}-new", site_dir / f".{OUTPUT}-old"
    for path in (staging, old):
        shutil.rmtree(path, ignore_errors=True)
    start = time.perf_counter()
    run = subprocess.run([str(executable()), "--site", str(site_dir), "--output-path", str(staging),
                          "--exclude-selectors", EXCLUDE, "--silent"], capture_output=True, text=True,
                         env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK)},
                         preexec_fn=_lowest_priority if background and hasattr(os, "nice") else None)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchError(f"Pagefind failed (exit code {run.returncode}): {(run.stderr or run.stdout).strip()[-2000:]}")
    _sort_filters(staging)
    target = site_dir / OUTPUT
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return Indexed(pages=len(list((target / "fragment").iterdir())), seconds=seconds)


def _lowest_priority() -> None:
    os.nice(19)


# Pagefind writes filters and their values in a random order (a Rust HashMap's), so two builds of the same
# site would differ in the filter files and, through their names, in the metadata file and the entry.
# They are put in order here, and those files renamed after what they now hold. They are
# gzip'd CBOR after the 12 bytes `pagefind_dcd`; only unsigned integers, text and arrays occur.
_SIGNATURE = b"pagefind_dcd"


def _sort_filters(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        for item in meta[3]:  # [filter name, file hash]
            old = bundle / "filter" / f"{item[1]}.pf_filter"
            name, values = _read(old)
            item[1] = _write(bundle / "filter", f"{language}_", ".pf_filter", [name, sorted(values)], 7)
            old.unlink()
        meta[3].sort()
        info["hash"] = _write(bundle, f"pagefind.{language}_", ".pf_meta", meta, 10).removeprefix("pagefind.")
        meta_path.unlink()
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchError(f"{path}: not a Pagefind file this version understands")
    value, end = _decode(data, len(_SIGNATURE))
    return value


def _write(folder: Path, prefix: str, suffix: str, value, length: int) -> str:
    """Write value under a name made from its hash; returns the name without the suffix."""
    data = _encode(value)
    stem = prefix + hashlib.sha1(data).hexdigest()[:length]
    (folder / (stem + suffix)).write_bytes(gzip.compress(_SIGNATURE + data, compresslevel=9, mtime=0))
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
