"""Machine-readable files published beside the site: the JSON Schemas of the records."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from aitimeline.catalog import Catalog


@dataclass(frozen=True)
class Asset:
    """A generated non-Markdown file at `uri` in the site."""

    uri: str
    content: bytes


def schema_assets() -> list[Asset]:
    """The schemas, at schemas/<name>.schema.json, so editors and tools can fetch them."""
    folder = resources.files("aitimeline.schemas")
    return [Asset(f"schemas/{f.name}", f.read_bytes())
            for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".schema.json")]


def export(catalog: Catalog) -> list[Asset]:
    """Every machine-readable file of the site."""
    return schema_assets()
