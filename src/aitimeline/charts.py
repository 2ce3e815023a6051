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
from aitimeline.i18n import Messages
from aitimeline.kinds import YEARS

TOP = 8  # series beyond this many are drawn together as "other"
MAX_LABELS = 24  # the largest models are labelled by name; the table lists all
CURRENCIES = ("USD", "CNY")  # one panel each; other currencies are only tabled
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


def plan_charts(catalog: Catalog, words: Messages | None = None) -> dict[str, Chart]:
    """Every chart of the site, by id, with its table and every label in the language of `words`
    (Chinese by default); the SVG is drawn when its asset is written. Charts without data are left out."""
    words = words or Messages()
    charts = (make(catalog, words) for make in (parameters_chart, chips_chart, events_chart, funding_chart))
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


def parameters_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Model parameters over time, log scale, coloured by the first organisation."""
    models = [m for m in catalog.kind("models") if m.data.get("parameters") and m.date]
    if not models:
        return None
    lang, other, t = words.language, words.t("charts.other"), partial(_t, words, "parameters")
    org = {m.id: m.links["organizations"][0].name[lang] if m.links.get("organizations") else other for m in models}
    shown = _top(Counter(org.values()))

    def draw(figure):
        ax = figure.add_subplot()
        for index, name in enumerate(shown + [other]):
            group = [m for m in models if (org[m.id] if org[m.id] in shown else other) == name]
            if group:
                ax.scatter([m.date.start for m in group], [m.data["parameters"] for m in group], s=28, label=name,
                           color="#9e9e9e" if name == other else f"C{index}", zorder=2)
        for m in sorted(models, key=lambda m: -m.data["parameters"])[:MAX_LABELS]:
            ax.annotate(m.name[lang], (m.date.start, m.data["parameters"]), xytext=(4, 3),
                        textcoords="offset points", fontsize=7)
        ax.set_yscale("log")
        ax.set_ylabel(t("ylabel"))
        ax.grid(True, which="major", alpha=.3)
        ax.legend(title=t("legend"), loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)

    largest = max(models, key=lambda m: m.data["parameters"])
    return Chart(
        "model-parameters", t("title"),
        t("alt", n=len(models), name=largest.name[lang], size=words.number(largest.data["parameters"])),
        _columns(words, "released", "model", "organization", "parameters"),
        [(words.date(m.date), m, org[m.id], words.number(m.data["parameters"])) for m in models],
        partial(_svg, (8, 4.5), draw), topics=("large-models", "nlp", "multimodal", "generative-ai"), on_years=True)


def _t(words: Messages, chart: str, key: str, **values) -> str:
    return words.t(f"charts.{chart}.{key}", **values)


def _columns(words: Messages, *keys: str) -> tuple[str, ...]:
    return tuple(words.t(f"columns.{key}") for key in keys)


def _stacked(ax, series: dict[str, list[float]], labels: list, ylabel: str, legend: str, other: str) -> None:
    """Stacked bars, one per label, one colour per series."""
    bottom = [0.0] * len(labels)
    for index, (name, values) in enumerate(series.items()):
        ax.bar([str(x) for x in labels], values, bottom=bottom, label=name,
               color="#9e9e9e" if name == other else f"C{index}")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", alpha=.3)
    ax.set_axisbelow(True)
    ax.legend(title=legend, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def _series(counts: dict[tuple, float], labels: list, other: str) -> dict[str, list[float]]:
    """{(label, series): value} → the TOP series by total plus `other`, each a list over the labels."""
    totals = Counter()
    for (_, name), value in counts.items():
        totals[name] += value
    shown = _top(totals)
    series: dict[str, list[float]] = {name: [0.0] * len(labels) for name in shown + [other]}
    for (label, name), value in counts.items():
        series[name if name in shown else other][labels.index(label)] += value
    return {name: values for name, values in series.items() if any(values)}


def chips_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Chips announced per year, stacked by vendor."""
    other, t = words.t("charts.other"), partial(_t, words, "chips")
    counts: Counter = Counter()
    for chip in catalog.kind("chips"):
        vendor = chip.links.get("vendor")
        if chip.year:
            counts[chip.year, vendor[0].name[words.language] if vendor else other] += 1
    if not counts:
        return None
    years = sorted({year for year, _ in counts})

    def draw(figure):
        _stacked(figure.add_subplot(), _series(counts, years, other), years, t("ylabel"), t("legend"), other)

    per_year = Counter()
    for (year, _), n in counts.items():
        per_year[year] += n
    busiest = max(years, key=lambda y: (per_year[y], -y))
    return Chart(
        "chips-per-year", t("title"),
        t("alt", first=years[0], last=years[-1], n=sum(per_year.values()), busiest=busiest, most=per_year[busiest]),
        (*_columns(words, "year", "vendor"), t("ylabel")),
        [(year, vendor, n) for (year, vendor), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))],
        partial(_svg, (7, 3.8), draw), topics=("chips", "compute", "brain-inspired"))


def events_chart(catalog: Catalog, words: Messages) -> Chart | None:
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
    t = partial(_t, words, "events")
    names = [catalog.topics[id]["name"][words.language] if id in catalog.topics else id for id in topics]
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
        "events-per-topic", t("title"),
        t("alt", first=YEARS[0], last=YEARS[-1], n=len(topics), topic=names[0], most=totals[topics[0]]),
        (words.t("columns.topic"), *(t("year", year=y) for y in YEARS), t("total")),
        [(name, *row, sum(row)) for name, row in zip(names, grid, strict=True)],
        partial(_svg, (6, 1.2 + .28 * len(topics)), draw), on_years=True)


def sector(event: Record) -> str:
    """A funding event's sector: the first topic of the funded company, else of the event."""
    investors = set(event.links.get("funding.investors", []))
    funded = [c for c in event.links.get("companies", []) if c not in investors]
    topics = (funded[0].data["topics"] if funded else []) or event.data["topics"]
    return topics[0]


def funding_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Disclosed funding per year and sector, one panel per currency: amounts are never converted."""
    other, t = words.t("charts.other"), partial(_t, words, "funding")
    scale = float(t("scale"))
    amounts: Counter = Counter()
    rounds: Counter = Counter()
    for event in catalog.kind("events"):
        funding = event.data.get("funding") or {}
        if event.data["kind"] in ("funding", "ipo") and funding.get("amount") and event.year in YEARS:
            topic = sector(event)
            field = catalog.topics.get(topic, {}).get("name", {}).get(words.language, topic)
            key = (funding.get("currency", ""), event.year, field)
            amounts[key] += funding["amount"]
            rounds[key] += 1
    currencies = [c for c in CURRENCIES if any(key[0] == c for key in amounts)]
    if not currencies:
        return None

    def draw(figure):
        for index, currency in enumerate(currencies):
            ax = figure.add_subplot(len(currencies), 1, index + 1)
            series = _series({(y, name): v / scale for (c, y, name), v in amounts.items() if c == currency},
                             list(YEARS), other)
            _stacked(ax, series, list(YEARS), t(f"ylabel.{currency}"), t("legend"), other)
            ax.set_title(t(f"panel.{currency}"), loc="left", fontsize=9)

    totals = [words.money({"amount": sum(v for (c, *_), v in amounts.items() if c == currency), "currency": currency})
              for currency in currencies]
    left_out = sum(n for (c, *_), n in rounds.items() if c not in currencies)
    return Chart(
        "funding-per-sector", t("title"),
        t("alt", first=YEARS[0], last=YEARS[-1], totals=words.t("sep").join(totals))
        + (t("alt_other", n=left_out) if left_out else t("alt_end")),
        (words.t("columns.year"), t("legend"), t("currency"), words.t("columns.amount"), t("rounds")),
        [(year, name, currency, words.number(amount), rounds[currency, year, name])
         for (currency, year, name), amount in sorted(amounts.items(), key=lambda kv: (kv[0][1], kv[0][0], -kv[1]))],
        partial(_svg, (8, 3.4 * len(currencies)), draw), topics=("industry-capital",))
