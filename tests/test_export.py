import csv
import io
import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

from aitimeline.catalog import build_catalog
from aitimeline.export import COLUMNS, COMMON, SCHEMA_VERSION, export
from aitimeline.kinds import SINGULAR
from aitimeline.pipeline import check
from aitimeline.render import Renderer

ROOT = Path(__file__).resolve().parent.parent

ATOM = "{http://www.w3.org/2005/Atom}"


def files_of(root: Path, site_url: str = "https://example.org/aitimeline/") -> dict[str, bytes]:
    dataset, problems = check(root / "data", root)
    assert problems == []
    catalog = build_catalog(dataset)
    feed = Renderer(ROOT / "templates").feed(catalog, site_url)
    return {a.uri: a.content for a in [*export(catalog), feed]}


def test_json_per_kind_per_record_and_catalog(dataset: Path):
    files = files_of(dataset)
    models = json.loads(files["api/v1/models.json"])
    assert models["schema_version"] == SCHEMA_VERSION and models["count"] == 3
    assert models["schema"] == "schemas/model.schema.json" and "schemas/model.schema.json" in files
    wudao = json.loads(files["api/v1/models/wudao-2.json"])
    assert wudao["record"]["parameters"] == 1_750_000_000_000
    assert wudao["record"]["date"] == "2021-06-01" and wudao["record"]["url"] == "models/wudao-2/"
    assert wudao["referenced_by"] == {"events": ["wudao-2-release"]}
    release = json.loads(files["api/v1/events/gpt-4-release.json"])
    assert release["kind"] == "events" and release["record"]["kind"] == "release"  # an event's own field is kept
    catalog = json.loads(files["api/v1/catalog.json"])
    assert catalog["counts"]["events"] == 8 and "seed-2021-slides" in catalog["sources"]  # context events too
    background = json.loads(files["api/v1/events/global-orbital-launches-2023.json"])["record"]
    assert background["context"] is True
    assert {r["id"] for r in catalog["records"]["companies"]} == {"baai", "microsoft", "nvidia", "openai"}


def test_partial_dates_are_published_as_written(dataset: Path):
    files = files_of(dataset)
    funding = json.loads(files["api/v1/events/openai-funding-2024.json"])["record"]
    assert funding["date"] == "2024-10"


def test_csv_has_fixed_columns_and_real_numbers(dataset: Path):
    rows = list(csv.DictReader(io.StringIO(files_of(dataset)["api/v1/models.csv"].decode("utf-8"))))
    wudao = next(r for r in rows if r["id"] == "wudao-2")
    assert wudao["name.zh"] == "悟道 2.0" and wudao["parameters"] == "1750000000000"
    assert wudao["organizations"] == "baai" and wudao["modalities"] == "text; image"
    assert wudao["open_weights"] == "false" and wudao["sources"] == "seed-2021-slides"
    events = list(csv.DictReader(io.StringIO(files_of(dataset)["api/v1/events.csv"].decode("utf-8"))))
    invest = next(r for r in events if r["id"] == "microsoft-invests-openai-2023")
    assert invest["funding.investors"] == "microsoft" and invest["companies"] == "openai; microsoft"


def test_csv_columns_cover_every_scalar_field_of_the_schemas():
    for kind, columns in COLUMNS.items():
        schema = json.loads(resources.files("aitimeline.schemas").joinpath(f"{SINGULAR[kind]}.schema.json").read_text())
        covered = {c.split(".")[0] for c in (*columns, *COMMON)} | {"name", "figures"}
        assert set(schema["properties"]) <= covered, kind


def test_atom_feed_lists_newest_records_first_and_is_deterministic(dataset: Path):
    files = files_of(dataset)
    feed = ET.fromstring(files["feed.xml"])
    entries = feed.findall(f"{ATOM}entry")
    assert feed.findtext(f"{ATOM}updated") == "2024-10-01T00:00:00Z"  # the newest record, not the build time
    assert entries[0].findtext(f"{ATOM}id") == "urn:aitimeline:events:openai-funding-2024"
    link = next(e for e in entries if e.findtext(f"{ATOM}id") == "urn:aitimeline:models:wudao-2").find(f"{ATOM}link")
    assert link.get("href") == "https://example.org/aitimeline/models/wudao-2/"
    assert files == files_of(dataset)
