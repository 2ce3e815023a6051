"""The site's words in each language: one message catalogue per language (`messages/<lang>.yaml`),
and dates, numbers and money written the way that language writes them."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from string import Formatter

import yaml
from markupsafe import Markup

from aitimeline.markup import text

LANGUAGES = ("zh", "en")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
DEFAULT = "zh"


@cache
def catalogue(language: str) -> dict:
    """The message catalogue of a language, as nested dicts."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    text = resources.files("aitimeline").joinpath(f"messages/{language}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def has_cjk(value) -> bool:
    """Whether a text holds Chinese characters (CJK ideographs or CJK punctuation)."""
    return bool(_CJK.search(str(value)))


def keys(tree: dict, prefix: str = "") -> set[str]:
    """Every dotted key of a catalogue, leaves only."""
    found = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        found |= keys(value, path + ".") if isinstance(value, dict) else {path}
    return found


def _inert(value: str) -> Markup:
    """Inert text that keeps a space at either end (`", "`, `" (valued at …)"`), which `text` would drop."""
    lead, trail = (" " if value[:1].isspace() else ""), (" " if value[-1:].isspace() else "")
    return Markup(lead + text(value) + trail) if value.strip() else Markup(lead)


def _markup(pattern: str, values: dict) -> Markup:
    """A message with markup among its values (a name marked as Chinese): every other part is inert text."""
    parts = []
    for literal, field, spec, _ in Formatter().parse(pattern):
        parts.append(_inert(literal) if literal else "")
        if field is not None:
            value = values[field]
            parts.append(value if isinstance(value, Markup) else text(format(value, spec or "")))
    return Markup("".join(parts))


class MissingMessage(KeyError):
    """A template asked for a message that a catalogue does not have."""

    def __str__(self) -> str:
        return str(self.args[0])


class Messages:
    """The words of one language: `t("year.title", year=2023)`, `number`, `money`, `date`, `local`."""

    def __init__(self, language: str = DEFAULT):
        self.language = language
        self.catalogue = catalogue(language)

    def t(self, key: str, **values) -> str:
        """The message at a dotted key, with `{name}` fields filled in; a missing key is an error."""
        node = self.catalogue
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise MissingMessage(f"no message {key!r} in messages/{self.language}.yaml")
            node = node[part]
        if isinstance(node, dict):
            raise MissingMessage(f"message {key!r} in messages/{self.language}.yaml is a group, not a message")
        if any(isinstance(v, Markup) for v in values.values()):
            return _markup(str(node), values)
        message = str(node).format(**values) if values else str(node)
        return _inert(message) if message != message.strip() else message

    def number(self, value: float) -> str:
        """A count in the language's large units: 1.75万亿 / 1.75 trillion."""
        for size, unit in self.catalogue["number_units"]:
            if abs(value) >= float(size):
                return f"{value / float(size):.4g}{unit}"
        return f"{value:,g}" if self.language == "en" else f"{value:g}"

    def money(self, funding: dict, amount: str = "amount") -> str:
        """A funding's amount (or valuation) in its currency: 10亿美元 / $10 billion."""
        if amount not in funding:
            return self.t("money.undisclosed")
        currency = funding.get("currency", "")
        n, pattern = self.number(funding[amount]), self.catalogue["currencies"].get(currency)
        return pattern.format(n=n) if pattern else f"{n} {currency}".strip()

    def date(self, record, short: bool = False) -> str:
        """A record's date (or a PartialDate), or its year; `short` leaves out the year of a dated day or month."""
        value = getattr(record, "date", record) if not hasattr(record, "iso") else record
        if value is None or not hasattr(value, "iso"):
            year = getattr(record, "year", None)
            return self.t("dates.year", year=year) if year else ""
        form = "day" if value.day else "month" if value.month else "year"
        if short and form != "year":
            form += "_short"
        month = self.catalogue["months"][value.month - 1] if value.month else ""
        return self.t(f"dates.{form}", year=value.year, month=month, m=value.month, day=value.day)

    def month(self, month: int) -> str:
        return self.catalogue["months"][month - 1]

    def local(self, value) -> str | None:
        """A `{zh, en}` text in this language; a plain string is Chinese."""
        if isinstance(value, dict):
            return value.get(self.language)
        return value if self.language == "zh" else None
