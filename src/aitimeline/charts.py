"""Charts drawn at build time with matplotlib: SVG files, each with alt text and the table it plots.

Text stays text in the SVG (`svg.fonttype: none`) so the browser draws Chinese with its own fonts;
the hash salt and the missing date make the same catalog give the same bytes.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from aitimeline.catalog import Catalog, Record
from aitimeline.export import Asset
from aitimeline.render import YEARS, cjk_number

TOP = 8  # series beyond this many are drawn together as 其他
MAX_LABELS = 24  # the largest models are labelled by name; the table lists all
OTHER = "其他"
CURRENCIES = {"USD": "美元", "CNY": "元"}  # one panel each; other currencies are only tabled
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "aitimeline",
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "white",
}


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG, its alt text and its data table (cells are text, numbers or records)."""

    id: str
    title: str
    alt: str
    columns: tuple[str, ...]
    rows: list[tuple]
    svg: Callable[[], bytes]  # draws it
    topics: tuple[str, ...] = ()  # topic pages that show it
    on_years: bool = False  # shown on every year page

    @property
    def uri(self) -> str:
        return f"assets/charts/{self.id}.svg"

    @property
    def asset(self) -> Asset:
        rows = [tuple(v.id if isinstance(v, Record) else v for v in row) for row in self.rows]
        return Asset(self.uri, self.svg, key=repr((self.title, self.alt, self.columns, rows)))  # drawn when written


def plan_charts(catalog: Catalog) -> dict[str, Chart]:
    """Every chart of the site, by id, with its table; the SVG is drawn when its asset is written.
    Charts without data are left out."""
    charts = (make(catalog) for make in (parameters_chart, chips_chart, events_chart, funding_chart))
    return {chart.id: chart for chart in charts if chart}


def _svg(size: tuple[float, float], draw: Callable) -> bytes:
    """Draw on a new figure of the given size (inches) and return it as SVG."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")  # no CJK font here: text is still text
        figure = Figure(figsize=size, layout="constrained")
        draw(figure)
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _top(counts: Counter, n: int = TOP) -> list[str]:
    """The n largest keys, ties broken by name, so that the series are stable."""
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def parameters_chart(catalog: Catalog) -> Chart | None:
    """Model parameters over time, log scale, coloured by the first organisation."""
    models = [m for m in catalog.kind("models") if m.data.get("parameters") and m.date]
    if not models:
        return None
    org = {m.id: m.links["organizations"][0].name["zh"] if m.links.get("organizations") else OTHER for m in models}
    shown = _top(Counter(org.values()))

    def draw(figure):
        ax = figure.add_subplot()
        for index, name in enumerate(shown + [OTHER]):
            group = [m for m in models if (org[m.id] if org[m.id] in shown else OTHER) == name]
            if group:
                ax.scatter([m.date.start for m in group], [m.data["parameters"] for m in group], s=28, label=name,
                           color="#9e9e9e" if name == OTHER else f"C{index}", zorder=2)
        for m in sorted(models, key=lambda m: -m.data["parameters"])[:MAX_LABELS]:
            ax.annotate(m.name["zh"], (m.date.start, m.data["parameters"]), xytext=(4, 3),
                        textcoords="offset points", fontsize=7)
        ax.set_yscale("log")
        ax.set_ylabel("参数量（对数坐标）")
        ax.grid(True, which="major", alpha=.3)
        ax.legend(title="机构", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)

    largest = max(models, key=lambda m: m.data["parameters"])
    return Chart(
        "model-parameters", "模型参数量随时间变化",
        f"散点图：{len(models)} 个公布参数量的模型按发布时间排列，纵轴为参数量的对数坐标，颜色表示机构；"
        f"最大的是{largest.name['zh']}（{cjk_number(largest.data['parameters'])}）。",
        ("发布", "模型", "机构", "参数量"),
        [(m.date.zh, m, org[m.id], cjk_number(m.data["parameters"])) for m in models],
        partial(_svg, (8, 4.5), draw), topics=("large-models", "nlp", "multimodal", "generative-ai"), on_years=True)


def _stacked(ax, series: dict[str, list[float]], labels: list, ylabel: str, legend: str) -> None:
    """Stacked bars, one per label, one colour per series."""
    bottom = [0.0] * len(labels)
    for index, (name, values) in enumerate(series.items()):
        ax.bar([str(x) for x in labels], values, bottom=bottom, label=name,
               color="#9e9e9e" if name == OTHER else f"C{index}")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", alpha=.3)
    ax.set_axisbelow(True)
    ax.legend(title=legend, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def _series(counts: dict[tuple, float], labels: list) -> dict[str, list[float]]:
    """{(label, series): value} → the TOP series by total plus 其他, each a list over the labels."""
    totals = Counter()
    for (_, name), value in counts.items():
        totals[name] += value
    shown = _top(totals)
    series: dict[str, list[float]] = {name: [0.0] * len(labels) for name in shown + [OTHER]}
    for (label, name), value in counts.items():
        series[name if name in shown else OTHER][labels.index(label)] += value
    return {name: values for name, values in series.items() if any(values)}


def chips_chart(catalog: Catalog) -> Chart | None:
    """Chips announced per year, stacked by vendor."""
    counts: Counter = Counter()
    for chip in catalog.kind("chips"):
        vendor = chip.links.get("vendor")
        if chip.year:
            counts[chip.year, vendor[0].name["zh"] if vendor else OTHER] += 1
    if not counts:
        return None
    years = sorted({year for year, _ in counts})

    def draw(figure):
        _stacked(figure.add_subplot(), _series(counts, years), years, "芯片数", "厂商")

    per_year = Counter()
    for (year, _), n in counts.items():
        per_year[year] += n
    busiest = max(years, key=lambda y: (per_year[y], -y))
    return Chart(
        "chips-per-year", "每年发布的芯片（按厂商）",
        f"堆叠柱状图：{years[0]}—{years[-1]} 年每年发布的芯片数，按厂商分色；共 {sum(per_year.values())} 款，"
        f"{busiest} 年最多（{per_year[busiest]} 款）。",
        ("年份", "厂商", "芯片数"),
        [(year, vendor, n) for (year, vendor), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))],
        partial(_svg, (7, 3.8), draw), topics=("chips", "compute", "brain-inspired"))


def events_chart(catalog: Catalog) -> Chart | None:
    """Events per year and topic, as a heat map; an event counts once in each of its topics."""
    counts: Counter = Counter()
    for year in YEARS:
        for event in catalog.year(year, "events"):
            for topic in event.data["topics"]:
                counts[topic, year] += 1
    if not counts:
        return None
    totals = Counter()
    for (topic, _), n in counts.items():
        totals[topic] += n
    topics = _top(totals, len(totals))
    names = [catalog.topics[t]["name"]["zh"] if t in catalog.topics else t for t in topics]
    grid = [[counts[t, y] for y in YEARS] for t in topics]

    def draw(figure):
        ax = figure.add_subplot()
        ax.imshow(grid, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(YEARS)), [f"{y}" for y in YEARS])
        ax.set_yticks(range(len(topics)), names)
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        peak = max(max(row) for row in grid)
        for i, row in enumerate(grid):
            for j, n in enumerate(row):
                if n:
                    ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                            color="white" if n > peak / 2 else "black")

    return Chart(
        "events-per-topic", "每年各专题的事件数",
        f"热力图：{YEARS[0]}—{YEARS[-1]} 年 {len(topics)} 个专题每年的事件数，颜色越深事件越多；"
        f"一个事件计入它所属的每个专题。事件最多的专题是{names[0]}（{totals[topics[0]]} 个）。",
        ("专题", *(f"{y}年" for y in YEARS), "合计"),
        [(name, *row, sum(row)) for name, row in zip(names, grid, strict=True)],
        partial(_svg, (6, 1.2 + .28 * len(topics)), draw), on_years=True)


def sector(event: Record) -> str:
    """A funding event's sector: the first topic of the funded company, else of the event."""
    investors = set(event.links.get("funding.investors", []))
    funded = [c for c in event.links.get("companies", []) if c not in investors]
    topics = (funded[0].data["topics"] if funded else []) or event.data["topics"]
    return topics[0]


def funding_chart(catalog: Catalog) -> Chart | None:
    """Disclosed funding per year and sector, one panel per currency: amounts are never converted."""
    amounts: Counter = Counter()
    rounds: Counter = Counter()
    for event in catalog.kind("events"):
        funding = event.data.get("funding") or {}
        if event.data["kind"] in ("funding", "ipo") and funding.get("amount") and event.year in YEARS:
            topic = sector(event)
            key = (funding.get("currency", ""), event.year, catalog.topics.get(topic, {}).get("name", {}).get("zh", topic))
            amounts[key] += funding["amount"]
            rounds[key] += 1
    currencies = [c for c in CURRENCIES if any(key[0] == c for key in amounts)]
    if not currencies:
        return None

    def draw(figure):
        for index, currency in enumerate(currencies):
            ax = figure.add_subplot(len(currencies), 1, index + 1)
            series = _series({(y, name): v / 1e8 for (c, y, name), v in amounts.items() if c == currency}, list(YEARS))
            _stacked(ax, series, list(YEARS), f"亿{CURRENCIES[currency]}", "领域")
            ax.set_title(f"以{CURRENCIES[currency]}计价", loc="left", fontsize=9)

    totals = [f"{cjk_number(sum(v for (c, *_), v in amounts.items() if c == currency))}{CURRENCIES[currency]}"
              for currency in currencies]
    left_out = sum(n for (c, *_), n in rounds.items() if c not in currencies)
    return Chart(
        "funding-per-sector", "每年披露的融资额（按领域）",
        f"堆叠柱状图：{YEARS[0]}—{YEARS[-1]} 年融资与上市事件中披露的金额，按领域分色，每种货币一幅、不作换算；"
        f"合计{'、'.join(totals)}" + (f"；另有 {left_out} 笔以其他货币计价，只列在表中。" if left_out else "。"),
        ("年份", "领域", "币种", "金额", "笔数"),
        [(year, name, currency, cjk_number(amount), rounds[currency, year, name])
         for (currency, year, name), amount in sorted(amounts.items(), key=lambda kv: (kv[0][1], kv[0][0], -kv[1]))],
        partial(_svg, (8, 3.4 * len(currencies)), draw), topics=("industry-capital",))
