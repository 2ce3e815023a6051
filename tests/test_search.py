"""Search without a browser: the key words that find a name, and the Pagefind index of a site."""

from __future__ import annotations

import re
import shutil
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


def test_a_missing_binary_is_a_clear_error(monkeypatch, tmp_path: Path):
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    with pytest.raises(search.SearchError, match=r"pagefind\[extended\]"):
        search.index_site(tmp_path)
