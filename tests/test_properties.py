"""Property-based: whatever the input, the loader and validator return problems, never a traceback."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
