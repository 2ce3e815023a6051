from pathlib import Path

from aitimeline.catalog import build_catalog
from aitimeline.dates import PartialDate
from aitimeline.pipeline import check


def catalog_of(root: Path):
    dataset, problems = check(root / "data", root)
    assert problems == []
    return build_catalog(dataset)


def test_company_back_links(dataset: Path):
    catalog = catalog_of(dataset)
    openai = catalog.records["openai"]
    assert [m.id for m in openai.referrers("models")] == ["gpt-3", "gpt-4"]
    assert [e.id for e in openai.referrers("events")] == [
        "chatgpt-launch", "microsoft-invests-openai-2023", "gpt-4-release", "openai-funding-2024"]
    microsoft = catalog.records["microsoft"]
    assert [e.id for e in microsoft.backlinks["funding.investors"]] == ["microsoft-invests-openai-2023"]
    assert [c.id for c in catalog.records["nvidia"].referrers("chips")] == ["nvidia-h100"]


def test_related_links_go_both_ways(dataset: Path):
    catalog = catalog_of(dataset)
    assert [r.id for r in catalog.records["gpt-4"].neighbours("events")] == ["pred-2024-gpt5"]
    assert [r.id for r in catalog.records["pred-2024-gpt5"].links["related"]] == ["gpt-4"]


def test_indexes_by_year_kind_and_topic(dataset: Path):
    catalog = catalog_of(dataset)
    assert [e.id for e in catalog.year(2023, "events")] == ["microsoft-invests-openai-2023", "gpt-4-release"]
    assert [m.id for m in catalog.year(2020, "models")] == ["gpt-3"]
    assert [t.id for t in catalog.year(2021, "trends")] == ["2021-research-trend-02-large-models"]
    assert "nvidia-h100" in [r.id for r in catalog.by_topic["chips"]]


def test_partial_dates_sort_at_the_start_of_their_period():
    dates = sorted(PartialDate.parse(v) for v in ["2024-10-02", "2024-10", "2024", "2023-12-31"])
    assert [d.iso for d in dates] == ["2023-12-31", "2024", "2024-10", "2024-10-02"]
    assert PartialDate.parse("2021-06").zh == "2021年6月"
    assert PartialDate.parse("2021-06-01").en == "1 June 2021"


def test_records_with_errors_are_left_out(dataset: Path):
    (dataset / "data/models/gpt-4.yaml").write_text("name: [broken\n", encoding="utf-8")
    dataset_, problems = check(dataset / "data", dataset)
    catalog = build_catalog(dataset_, skip={p.path for p in problems})
    assert "gpt-4" not in catalog.records
    assert "gpt-4-release" in catalog.records  # a broken record is still known: what names it stays
    assert catalog.records["gpt-4-release"].links["models"] == []
    assert [m.id for m in catalog.records["openai"].referrers("models")] == ["gpt-3"]


def test_context_records_stay_out_of_the_ai_views(dataset: Path):
    catalog = catalog_of(dataset)
    background = catalog.records["global-orbital-launches-2023"]
    assert background.context and [r.id for r in catalog.context(2023)] == [background.id]
    assert background in catalog.kind("events", context=True) and background not in catalog.kind("events")
    assert background not in catalog.year(2023, "events")
    assert all(background not in records for records in catalog.by_topic.values())
    every = catalog.kind("events", context=True)
    assert catalog.kind("events") == [r for r in every if not r.context]
    assert catalog.context(2022) == []
