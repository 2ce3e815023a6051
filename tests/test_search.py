"""Search without a browser: the key words that find a name, and the Pagefind index of a site."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aitimeline import search

CJK = "英伟达华为昇腾文心一言悟道智源大模型"
names = st.text(alphabet=st.sampled_from(list(CJK) + list("abcGPT0149") + [" ", "-", ".", "·", "（", "）"]),
                min_size=1, max_size=16).filter(lambda s: re.search(r"\w", s))


def plain(name: str) -> str:
    return "".join(re.findall(r"[^\W_]+", name.lower()))


@settings(max_examples=300, deadline=None)
@given(names, st.data())
def test_a_query_for_any_start_of_a_name_is_the_start_of_one_of_its_keys(name, data):
    """What a reader types from a Chinese character or the start of a word, up to any later
    point of the name (without its spaces and punctuation), finds it."""
    text = plain(name)
    starts = [i for i, c in enumerate(text) if c in CJK or i == 0 or text[i - 1] in CJK]
    start = data.draw(st.sampled_from(starts))
    end = data.draw(st.integers(start + 1, len(text)))
    query = search.key(text[start:end])
    assert any(word.startswith(query) for word in search.name_keys([name]).split())


@settings(max_examples=300, deadline=None)
@given(names)
def test_the_whole_name_is_a_key_of_its_own_and_keys_are_single_words(name):
    words = search.name_keys([name]).split()
    assert search.key(name) in words
    assert all(re.fullmatch(r"z[yz][0-9a-z]*", w) for w in words)


def test_keys_of_names_and_of_queries_agree():
    assert search.key("英伟达") == "zzpv5fmnse6" and search.key("英伟").startswith("zzpv5fmn")
    assert search.key("GPT-4") == search.key("gpt4") == "zygpt4"
    assert search.key("昇腾910B") == search.key("昇腾 910B")
    assert search.key("한국") == "zz" + "z1658" + "y99"  # U+D55C past U+B12F: z and four digits; U+AD6D: three
    keys = search.name_keys(["华为昇腾 910B", "Ascend 910B"]).split()
    assert search.key("昇腾910B") in keys and search.key("910B") in keys and search.key("Ascend 910B") in keys


def test_index_is_byte_for_byte_the_same_twice(fixture_site: Path, tmp_path: Path):
    copies = []
    for name in ("a", "b"):
        copy = tmp_path / name
        shutil.copytree(fixture_site, copy, ignore=shutil.ignore_patterns("pagefind"))
        shutil.rmtree(copy / "en")  # the English site, which its own build indexes
        search.index_site(copy)
        copies.append(copy / "pagefind")
    files = sorted(p.relative_to(copies[0]) for p in copies[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(copies[1]) for p in copies[1].rglob("*") if p.is_file())
    assert [f for f in files if (copies[0] / f).read_bytes() != (copies[1] / f).read_bytes()] == []
    assert any(f.parts[0] == "filter" for f in files)


def test_a_new_index_replaces_the_old_one_whole(fixture_site: Path, tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    (site / "pagefind" / "fragment" / "stale.pf_fragment").write_bytes(b"old")
    done = search.index_site(site)
    assert not (site / "pagefind" / "fragment" / "stale.pf_fragment").exists()
    assert done.pages == len(list((site / "pagefind" / "fragment").iterdir()))
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == []


def test_the_index_holds_what_the_sites_search_loads_and_not_pagefinds_own_interfaces(fixture_site: Path):
    written = {p.name for p in (fixture_site / "pagefind").iterdir() if p.is_file()}
    loaded = re.findall(r'"pagefind/([\w.-]+)"', (fixture_site / "assets" / "search.js").read_text("utf-8"))
    assert loaded and set(loaded) <= written
    assert any(n.startswith("wasm.") for n in written) and any(n.endswith(".pf_meta") for n in written)
    assert written - set(loaded) == {n for n in written if n.startswith("wasm.") or n.endswith((".pf_meta", ".json"))}


def test_a_missing_binary_is_a_clear_error(monkeypatch, tmp_path: Path):
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    with pytest.raises(search.SearchError, match=r"pagefind\[extended\]"):
        search.index_site(tmp_path)


def test_a_page_gives_search_its_root_marked_metas_and_marked_element_whole():
    html = ('<!doctype html><html lang="en" class="no-js"><head><meta charset="utf-8">'
            '<meta name="description" content="on a data-pagefind-body element">'
            '<meta name="t" content="T" data-pagefind-meta="title[content]"></head><body><nav>menu data-pagefind-body</nav>'
            '<article class="a" data-pagefind-body><article><h2 id="x">X</article><p>text</p></article>'
            '<footer data-pagefind-meta="footer">f</footer></body></html>')
    assert search.page_for_index(html) == (
        '<!doctype html><html lang="en" class="no-js"><head><meta name="t" content="T" data-pagefind-meta="title[content]">'
        '</head><body><article class="a" data-pagefind-body><article><h2 id="x">X</article><p>text</p></article></body></html>')
    assert search.page_for_index(html.replace(" data-pagefind-body>", ">")) is None
    assert search.page_for_index('<div data-pagefind-body><div>unclosed</div>') is None


def test_the_parts_search_ignores_are_cut_out_before_pagefind_reads_the_page():
    html = ('<html><body><article data-pagefind-body><p>one <span data-pagefind-ignore>label</span>two</p>'
            '<div class="x" data-pagefind-ignore="index"><div><h2 id="s">Sources</h2></div><p>cited</p></div>'
            '<p title="data-pagefind-ignore">three</p><img data-pagefind-ignore src="a.png">'
            '<div data-pagefind-ignore><span data-pagefind-filter="kind">chip</span></div></article></body></html>')
    assert search.page_for_index(html) == (
        '<!doctype html><html><head></head><body><article data-pagefind-body><p>one two</p>'
        '<p title="data-pagefind-ignore">three</p><img data-pagefind-ignore src="a.png">'
        '<div data-pagefind-ignore><span data-pagefind-filter="kind">chip</span></div></article></body></html>')


def _fragments(bundle: Path) -> dict[str, dict]:
    """Each page's fragment in the index (what Pagefind indexed of it), by URL; its text without the
    zero-width spaces Pagefind puts between the words it found."""
    found = (search._parse_json((bundle / "fragment" / f"{page}.pf_fragment").read_bytes())
             for page in (p.name.removesuffix(".pf_fragment") for p in (bundle / "fragment").iterdir()))
    return {fragment["url"]: {**fragment, "content": fragment["content"].replace("\u200b", "")} for fragment in found}


def test_labels_are_not_indexed_but_a_records_own_words_and_names_are(fixture_site: Path):
    """参数量 labels GPT-3's parameters and is a word of GPT-4's summary: only GPT-4 is found by it.
    A figure's own label (悟道 2.0's 参数量) is the record's, and stays."""
    zh, en = _fragments(fixture_site / "pagefind"), _fragments(fixture_site / "en" / "pagefind")
    gpt3, gpt4 = zh["/models/gpt-3/"]["content"], zh["/models/gpt-4/"]["content"]
    assert "参数量" in gpt4 and "参数量" not in gpt3 and "1750 亿参数" in gpt3
    assert "参数量" in zh["/events/wudao-2-release/"]["content"]
    for label in ("发布", "机构", "模态", "开放权重", "项目", "内容", "标签"):
        assert label not in gpt3
    assert search.key("GPT-3") in gpt3.split() and "1750 亿" in gpt3
    english = en["/models/gpt-3/"]["content"]
    assert "Parameters" not in english and "Released" not in english and "175-billion-parameter" in english


def _canonical(bundle: Path) -> dict:
    """What an index holds, whatever order its pages were numbered in: each page's fragment (its URL,
    text, metadata, filters and anchors), and each word's and filter value's pages by fragment."""
    pages, words, filters = {}, {}, {}
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    for language, info in entry["languages"].items():
        meta = search._parse((bundle / f"pagefind.{info['hash']}.pf_meta").read_bytes())
        fragments = [page[0] for page in meta[1]]  # [hash, word count, …]
        for page in fragments:
            pages[page] = (bundle / "fragment" / f"{page}.pf_fragment").read_bytes()
        for _, _, chunk in meta[2]:
            for word, places, *_ in search._parse((bundle / "index" / f"{chunk}.pf_index").read_bytes())[0]:
                number, found = 0, set()
                for delta, *where in places:  # page numbers are given as the difference from the one before
                    number += delta
                    found.add((fragments[number], json.dumps(where)))
                words[language, word] = found
        for name, chunk in meta[3]:
            for value, numbers in search._parse((bundle / "filter" / f"{chunk}.pf_filter").read_bytes())[1]:
                filters[language, name, value] = {fragments[n] for n in numbers}
    return {"pages": pages, "words": words, "filters": filters}


def test_the_index_of_the_pages_cut_down_holds_what_pagefind_finds_in_the_whole_pages(fixture_site: Path, tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site, ignore=shutil.ignore_patterns("pagefind", "en"))
    whole = subprocess.run([str(search.executable()), "--site", str(site), "--output-path", str(tmp_path / "whole"),
                            "--exclude-selectors", search.EXCLUDE, "--silent"], capture_output=True, text=True,
                           env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(search.CHUNK)})
    assert whole.returncode == 0, whole.stderr
    done = search.index_site(site)
    expected, found = _canonical(tmp_path / "whole"), _canonical(site / "pagefind")
    assert done.pages == len(found["pages"]) > 50
    assert len(found["words"]) > 1000 and any(name == "topic" for _, name, _ in found["filters"])
    assert found == expected


def test_pagefind_failing_is_a_clear_error(monkeypatch, tmp_path: Path):
    fake = tmp_path / "fake-pagefind"
    fake.write_text("#!/bin/sh\necho 'cannot index here' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: fake)
    with pytest.raises(search.SearchError, match=r"exit code 3\): cannot index here"):
        search.index_pages([("index.html", "<html><body><main data-pagefind-body>x</main></body></html>")], tmp_path)
    assert not (tmp_path / "pagefind").exists()
