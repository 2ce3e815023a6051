"""The site's charts, planned from the catalog: each is one JSON file of points (names, dates and values
already written in the page's language, and the page each point opens), drawn in the browser by
docs/assets/charts.js with the vendored Apache ECharts; each keeps alt text and the table it plots,
which is what a reader without JavaScript or without sight gets.

A plot (the JSON) is `{"x": axis, "panels": [{"title"?, "y": axis, "series": [...]}], "kind", "zoom"}`:
an axis is `{"type": time|log|value|category, "name", "values"?, "ticks"?}`, a series
`{"name", "other"?, "points": [...]}` and a point `{"x", "y", "name", "lines", "url"?, "label"?, "rank"?, "size"?}`:
`lines` are what its tooltip says under its name, `url` is relative to the site root. The same
catalog gives the same bytes: keys are sorted and nothing depends on the time of the build.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from aitimeline.catalog import Catalog, Record
from aitimeline.export import Asset, page_url
from aitimeline.i18n import Messages
from aitimeline.kinds import YEARS

TOP = 8  # series beyond this many are drawn together as "other"
LABELS = 24  # the largest models may carry their name on the chart, as space allows; every point has its tooltip
CURRENCIES = ("USD", "CNY")  # one panel each; other currencies are only tabled
COUNTRIES = ("US", "CN")  # parameters by country: these, and every other country together
VENDORS = 12  # the chip timeline's rows: the vendors with the most chips, the rest in one row


@dataclass(frozen=True)
class Chart:
    """One chart: what the browser draws (`plot`), its alt text and its data table (cells are
    text, numbers or records)."""

    id: str
    title: str
    alt: str
    columns: tuple[str, ...]
    rows: list[tuple]
    plot: dict = field(repr=False)
    topics: tuple[str, ...] = ()  # topic pages that show it
    on_years: bool = False  # shown on every year page
    on_home: bool = True

    @property
    def uri(self) -> str:
        return f"assets/charts/{self.id}.json"

    @property
    def asset(self) -> Asset:
        return Asset(self.uri, plot_json(self.plot))

    @property
    def hint(self) -> str:
        """What a reader can do with it: the key of its hint under `charts.hint`."""
        return "dates" if self.plot["zoom"] else "bars" if self.plot["kind"] == "bar" else "dots"


def plot_json(plot: dict) -> bytes:
    """A plot as the bytes of its file: sorted keys, so the same catalog writes the same file."""
    return (json.dumps(plot, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":")) + "\n").encode()


def plan_charts(catalog: Catalog, words: Messages | None = None) -> dict[str, Chart]:
    """Every chart of the site, by id, with its table and every label in the language of `words`
    (Chinese by default). Charts without data are left out."""
    words = words or Messages()
    makers = (parameters_chart, country_chart, weights_chart, chips_chart, chip_vendors_chart, events_chart,
              funding_chart)
    charts = (make(catalog, words) for make in makers)
    return {chart.id: chart for chart in charts if chart}


def _t(words: Messages, chart: str, key: str, **values) -> str:
    return words.t(f"charts.{chart}.{key}", **values)


def _columns(words: Messages, *keys: str) -> tuple[str, ...]:
    return tuple(words.t(f"columns.{key}") for key in keys)


def _top(counts: Counter, n: int = TOP) -> list[str]:
    """The n largest keys, ties broken by name, so that the series are stable."""
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _plot(x: dict, panels: list[dict], kind: str = "scatter", zoom: bool = False) -> dict:
    return {"kind": kind, "x": x, "panels": panels, "zoom": zoom}


def _time_axis(words: Messages) -> dict:
    """A date axis; its tick labels follow the catalogue's patterns (ECharts' own placeholders)."""
    return {"type": "time", "name": words.t("columns.released"), "ticks": dict(words.catalogue["charts"]["time"])}


def _log_axis(words: Messages, name: str, values: Iterable[float]) -> dict:
    """A log axis, its powers of ten written in the language's large units (1亿, 10亿 / 100 million, 1 billion)."""
    values = list(values)
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    return {"type": "log", "name": name, "ticks": {str(e): words.number(10 ** e) for e in range(low, high + 1)}}


def _series(groups: dict[str, list[dict]], other: str) -> list[dict]:
    """Series in the order given, `other` last and marked as such; empty ones are left out."""
    named = [{"name": name, "points": points} for name, points in groups.items() if points and name != other]
    rest = [{"name": other, "other": True, "points": groups[other]}] if groups.get(other) else []
    return named + rest


def _model_point(m: Record, words: Messages, group: str, rank: dict[str, int]) -> dict:
    lang = words.language
    point = {"x": m.date.start.isoformat(), "y": m.data["parameters"], "name": m.name[lang], "url": page_url(m),
             "lines": [words.date(m.date), _t(words, "parameters", "value", n=words.number(m.data["parameters"])), group]}
    if m.id in rank:
        point |= {"label": m.name[lang], "rank": rank[m.id]}
    return point


def _sized_models(catalog: Catalog) -> list[Record]:
    """Dated models with a published parameter count."""
    return [m for m in catalog.kind("models") if m.data.get("parameters") and m.date]


def _parameter_plot(models: list[Record], words: Messages, group: Callable[[Record], str], order: list[str],
                    other: str) -> dict:
    """Parameters over time, one series per group, the largest models ranked for labels."""
    largest = sorted(models, key=lambda m: (-m.data["parameters"], m.id))[:LABELS]
    rank = {m.id: index + 1 for index, m in enumerate(largest)}
    groups: dict[str, list[dict]] = {name: [] for name in order + [other]}
    for m in models:
        groups[group(m)].append(_model_point(m, words, group(m), rank))
    y = _log_axis(words, _t(words, "parameters", "ylabel"), (m.data["parameters"] for m in models))
    return _plot(_time_axis(words), [{"y": y, "series": _series(groups, other)}], zoom=True)


def _first_org(m: Record) -> Record | None:
    return m.links["organizations"][0] if m.links.get("organizations") else None


def parameters_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Model parameters over time, log scale, coloured by the first organisation."""
    models = _sized_models(catalog)
    if not models:
        return None
    lang, other, t = words.language, words.t("charts.other"), partial(_t, words, "parameters")
    org = {m.id: _first_org(m).name[lang] if _first_org(m) else other for m in models}
    shown = _top(Counter(org.values()))
    largest = max(models, key=lambda m: m.data["parameters"])
    return Chart(
        "model-parameters", t("title"),
        t("alt", n=len(models), name=largest.name[lang], size=words.number(largest.data["parameters"])),
        _columns(words, "released", "model", "organization", "parameters"),
        [(words.date(m.date), m, org[m.id], words.number(m.data["parameters"])) for m in models],
        _parameter_plot(models, words, lambda m: org[m.id] if org[m.id] in shown else other, shown, other),
        topics=("large-models", "nlp", "multimodal", "generative-ai"), on_years=True)


def country_group(model: Record, words: Messages) -> str:
    """Where a model's developer is: the country of its first organisation when that is the US or
    China, "elsewhere" for any other country, "unknown" without an organisation."""
    org = _first_org(model)
    if org is None:
        return words.t("charts.country.unknown")
    country = org.data["country"]
    return words.t(f"countries.{country}") if country in COUNTRIES else words.t("charts.country.elsewhere")


def country_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Model parameters over time, coloured by the country of the developer (US / China / elsewhere)."""
    models = _sized_models(catalog)
    if not models:
        return None
    lang, t = words.language, partial(_t, words, "country")
    group = {m.id: country_group(m, words) for m in models}
    order = [words.t(f"countries.{c}") for c in COUNTRIES] + [words.t("charts.country.elsewhere")]
    counts = Counter(group.values())
    return Chart(
        "parameters-by-country", t("title"),
        t("alt", n=len(models), counts=words.t("sep").join(t("count", group=g, n=counts[g]) for g in order)),
        _columns(words, "released", "model", "organization", "country", "parameters"),
        [(words.date(m.date), m, _first_org(m).name[lang] if _first_org(m) else "", group[m.id],
          words.number(m.data["parameters"])) for m in models],
        _parameter_plot(models, words, lambda m: group[m.id], order, words.t("charts.country.unknown")),
        topics=("large-models", "open-source"))


def weights_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Models released each year with open or closed weights; a model whose record does not say
    (no `open_weights`) is counted as "not recorded", never as either."""
    t = partial(_t, words, "weights")
    states = {True: t("open"), False: t("closed"), None: t("unknown")}
    counts: Counter = Counter()
    for m in catalog.kind("models"):
        if m.year in YEARS:
            counts[m.year, m.data.get("open_weights")] += 1
    if not counts:
        return None
    years = [words.t("dates.year", year=y) for y in YEARS]
    groups = {name: [{"x": years[i], "y": counts[y, state], "name": name,
                      "lines": [years[i], t("value", n=counts[y, state])]}
                     for i, y in enumerate(YEARS) if counts[y, state]] for state, name in states.items()}
    total = {state: sum(n for (_, s), n in counts.items() if s is state) for state in states}
    return Chart(
        "open-weights-per-year", t("title"),
        t("alt", first=YEARS[0], last=YEARS[-1], open=total[True], closed=total[False], unknown=total[None]),
        (words.t("columns.year"), *states.values(), t("total")),
        [(y, *(counts[y, s] for s in states), sum(counts[y, s] for s in states)) for y in YEARS],
        _plot({"type": "category", "values": years}, [{"y": {"type": "value", "name": t("ylabel")},
                                                        "series": _series(groups, states[None])}], kind="bar"),
        topics=("open-source", "large-models"))


def _bars(counts: dict[tuple, float], labels: dict, other: str, lines: Callable[[object, list[str], float], list[str]],
          name: str = "", shown: list[str] | None = None) -> dict:
    """A panel of stacked bars from {(key, series): value}, one bar per key of `labels`: the `shown`
    series (by default the TOP by total) plus `other`; `lines(key, series merged into this one, value)`
    is a bar's tooltip."""
    totals: Counter = Counter()
    for (_, series), amount in counts.items():
        totals[series] += amount
    shown = _top(totals) if shown is None else shown
    members: dict[str, list[str]] = {}
    for series in sorted(totals):
        members.setdefault(series if series in shown else other, []).append(series)
    groups = {}
    for series in shown + [other]:
        groups[series] = []
        for key, label in labels.items():
            merged = [s for s in members.get(series, []) if (key, s) in counts]
            if merged:
                amount = sum(counts[key, s] for s in merged)
                groups[series].append({"x": label, "y": amount, "name": series, "lines": lines(key, merged, amount)})
    return {"y": {"type": "value", "name": name}, "series": _series(groups, other)}


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
    per_year = Counter()
    for (year, _), n in counts.items():
        per_year[year] += n
    busiest = max(years, key=lambda y: (per_year[y], -y))
    label = {y: words.t("dates.year", year=y) for y in years}
    panel = _bars(counts, label, other, lambda y, _, n: [label[y], t("value", n=n)], t("ylabel"))
    return Chart(
        "chips-per-year", t("title"),
        t("alt", first=years[0], last=years[-1], n=sum(per_year.values()), busiest=busiest, most=per_year[busiest]),
        (*_columns(words, "year", "vendor"), t("ylabel")),
        [(year, vendor, n) for (year, vendor), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))],
        _plot({"type": "category", "values": list(label.values())}, [panel], kind="bar"),
        topics=("chips", "compute", "brain-inspired"))


def chip_vendors_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Every dated chip as a point on a time × vendor grid, coloured by kind, each opening its page:
    the vendors with the most chips have a row each, the rest share one."""
    chips = [c for c in catalog.kind("chips") if c.date]
    if not chips:
        return None
    lang, other, t = words.language, words.t("charts.other"), partial(_t, words, "chip_vendors")
    vendor = {c.id: c.links["vendor"][0].name[lang] if c.links.get("vendor") else other for c in chips}
    per_vendor = Counter(vendor.values())
    rows = [v for v in _top(per_vendor, VENDORS) if v != other]
    row = {c.id: vendor[c.id] if vendor[c.id] in rows else other for c in chips}
    kind = {c.id: words.t(f"chip_kinds.{c.data['kind']}") for c in chips}
    kinds = _top(Counter(kind.values()), TOP)
    groups: dict[str, list[dict]] = {name: [] for name in kinds + [other]}
    for c in chips:
        groups[kind[c.id] if kind[c.id] in kinds else other].append(
            {"x": c.date.start.isoformat(), "y": row[c.id], "name": c.name[lang], "url": page_url(c),
             "lines": [words.date(c.date), vendor[c.id], kind[c.id]]})
    values = rows + ([other] if other in row.values() else [])
    top = _top(per_vendor, 1)[0]
    return Chart(
        "chips-by-vendor", t("title"), t("alt", n=len(chips), rows=len(rows), top=top, most=per_vendor[top]),
        _columns(words, "released", "chip", "vendor", "kind"),
        [(words.date(c.date), c, vendor[c.id], kind[c.id]) for c in chips],
        _plot(_time_axis(words), [{"y": {"type": "category", "values": values},
                                   "series": _series(groups, other)}], zoom=True),
        topics=("chips", "compute"), on_home=False)


def events_chart(catalog: Catalog, words: Messages) -> Chart | None:
    """Events per year and topic, as a grid of dots sized by count; an event counts once in each of its topics."""
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
    years = [words.t("dates.year", year=y) for y in YEARS]
    points = [{"x": years[j], "y": name, "size": n, "label": str(n), "name": name, "lines": [years[j], t("value", n=n)],
               **({"url": f"topics/{id}/"} if id in catalog.topics else {})}
              for id, name, row in zip(topics, names, grid, strict=True) for j, n in enumerate(row) if n]
    return Chart(
        "events-per-topic", t("title"),
        t("alt", first=YEARS[0], last=YEARS[-1], n=len(topics), topic=names[0], most=totals[topics[0]]),
        (words.t("columns.topic"), *years, t("total")),
        [(name, *row, sum(row)) for name, row in zip(names, grid, strict=True)],
        _plot({"type": "category", "values": years},
              [{"y": {"type": "category", "values": names}, "series": [{"name": t("legend"), "points": points}]}]),
        on_years=True)


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
    years = {y: words.t("dates.year", year=y) for y in YEARS}
    busiest: Counter = Counter()  # the fields with the most rounds, in any currency: one legend for both panels
    for (c, _, name), n in rounds.items():
        if c in currencies:
            busiest[name] += n
    shown = _top(busiest)

    def panel(currency: str) -> dict:
        def lines(year: int, fields: list[str], amount: float) -> list[str]:
            n = sum(rounds[currency, year, f] for f in fields)
            return [years[year], words.money({"amount": amount * scale, "currency": currency}), t("value", n=n)]
        counts = {(y, name): v / scale for (c, y, name), v in amounts.items() if c == currency}
        return {"title": t(f"panel.{currency}"), **_bars(counts, years, other, lines, t(f"ylabel.{currency}"), shown)}

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
        _plot({"type": "category", "values": list(years.values())}, [panel(c) for c in currencies], kind="bar"),
        topics=("industry-capital",))
