"""Property-based: whatever the input, the loader and validator return problems, never a traceback;
compacting a page changes nothing a reader sees."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitimeline.compact import compact
from aitimeline.kinds import KINDS
from aitimeline.load import Document, parse
from aitimeline.validate import Dataset, validate

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["2021-06", "2021-13-01", "openai", "<b>", "[x](javascript:1)", "seed-2021-report"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["name", "zh", "en", "summary", "topics", "sources", "ref", "url", "date", "kind", "companies",
         "organizations", "related", "funding", "figures", "value", "x"]), inner, max_size=6)), max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_parse_never_raises_on_any_text(text):
    data, marks, problems = parse(text, "x.yaml")
    assert all(p.line >= 1 and p.column >= 1 for p in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(["a", "b", "openai", "Bad Id"]), values),
                max_size=5))
def test_validate_never_raises_on_any_records(records):
    documents = [Document(f"data/{kind}/{rid}.yaml", kind, rid, data) for kind, rid, data in records]
    documents.append(Document("data/topics.yaml", "topics", "topics", {"chips": {"name": {"zh": "芯片", "en": "Chips"}}}))
    problems = validate(Dataset(documents))
    assert all(p.path.startswith("data/") and p.rule for p in problems)
    if any(not isinstance(d.data, dict) for d in documents[:-1]):
        assert any(p.rule == "wrong-type" for p in problems)


KEPT = re.compile(r"(<(pre|textarea|code|script|style)\b.*?</\2\s*>)", re.S | re.I)
_space = st.text(alphabet=" \t\n\r", max_size=6)
_kept = st.sampled_from(["pre", "textarea", "code", "script", "style", "PRE"])
_html = st.lists(st.one_of(
    _space, st.text(alphabet="ab 中\n<>=\"/", max_size=8),
    st.sampled_from(["<div>", "</div>", '<span class="x">', "</span>", "<p>", "</p>", "<br>"]),
    st.builds(lambda tag, body: f"<{tag} class=\"k\">{body}</{tag}>", _kept, st.text(alphabet="x \n\t<", max_size=12)),
), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_html)
def test_compact_changes_only_white_space_a_browser_collapses(page):
    """Whatever the page: its text reads the same once white space is collapsed, what is inside
    pre, textarea, code, script and style is untouched, and no run holding a line break is left."""
    out = compact(page)
    assert re.sub(r"\s+", " ", out) == re.sub(r"\s+", " ", page)
    assert KEPT.findall(out) == KEPT.findall(page)
    assert compact(out) == out
    assert not any(re.search(r"\n[ \t\r\n]|[ \t\r]\n", outside) for outside in KEPT.split(out)[::3])
