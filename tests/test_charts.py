from pathlib import Path

from aitimeline.catalog import build_catalog
from aitimeline.charts import plan_charts, sector
from aitimeline.pipeline import check


def charts_of(root: Path):
    dataset, problems = check(root / "data", root)
    assert problems == []
    catalog = build_catalog(dataset)
    return catalog, plan_charts(catalog)


def test_each_chart_is_an_svg_with_text_alt_and_its_data(dataset: Path):
    _, charts = charts_of(dataset)
    assert set(charts) == {"model-parameters", "chips-per-year", "events-per-topic", "funding-per-sector"}
    for chart in charts.values():
        svg = chart.svg().decode("utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg
        assert "<text" in svg, "text is drawn by the browser, not as paths"
        assert "<dc:date>" not in svg
        assert chart.alt and chart.rows and all(len(row) == len(chart.columns) for row in chart.rows)
        assert chart.asset.uri == f"assets/charts/{chart.id}.svg"


def test_parameters_chart_is_log_scale_and_labelled(dataset: Path):
    _, charts = charts_of(dataset)
    chart = charts["model-parameters"]
    svg = chart.svg().decode("utf-8")
    assert "悟道 2.0" in svg and "GPT-3" in svg and "北京智源人工智能研究院" in svg
    assert "$\\mathdefault{10^{12}}$" in svg  # a log axis: ticks at powers of ten
    assert [(row[1].id, row[3]) for row in chart.rows] == [("gpt-3", "1750亿"), ("wudao-2", "1.75万亿")]
    assert "最大的是悟道 2.0（1.75万亿）" in chart.alt


def test_counts_in_the_tables(dataset: Path):
    catalog, charts = charts_of(dataset)
    assert charts["chips-per-year"].rows == [(2022, "英伟达", 1)]
    topics = {row[0]: row[1:] for row in charts["events-per-topic"].rows}
    assert topics["大模型"] == (1, 1, 1, 0, 3)  # wudao-2-release, chatgpt-launch, gpt-4-release
    assert charts["funding-per-sector"].rows == [(2024, "大模型", "USD", "66亿", 1)]  # OpenAI's first topic
    assert sector(catalog.records["microsoft-invests-openai-2023"]) == "large-models"  # the investor is not the sector


def test_charts_are_deterministic(dataset: Path):
    assert [c.svg() for c in charts_of(dataset)[1].values()] == [c.svg() for c in charts_of(dataset)[1].values()]
