"""Measure aitimeline at 1,000 / 5,000 / 20,000 synthetic records, and the preview on real data:
the build, the search index, and a search in the built site (benchmarks/query.py).

    .venv/bin/python benchmarks/run.py [--sizes 1000 5000 20000] [--runs 3] [--out benchmarks/results]

Prints a Markdown table and writes it as JSON. Times are medians of --runs runs; ratios are
taken within this one run, so they hold on a noisy machine where absolute seconds do not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import query  # noqa: E402
import yaml  # noqa: E402
from mkdocs.utils.yaml import yaml_load  # noqa: E402
from synth import ROOT, make_dataset  # noqa: E402

from aitimeline.kinds import KINDS  # noqa: E402
from aitimeline.plugin import expand_topics  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PY = sys.executable
CORE = """
import json, sys, time
from pathlib import Path
from aitimeline.pipeline import check, run
root = Path(sys.argv[1])
t = time.process_time(); check(root / "data", root); checked = time.process_time() - t
t = time.process_time(); run(root / "data", root / "templates", root); whole = time.process_time() - t
print(json.dumps({"check": checked, "render": max(whole - checked, 0.0)}))
"""


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def timed(cmd: list[str], cwd: Path) -> float:
    return timed_cpu(cmd, cwd)[0]


def timed_cpu(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds of cmd, and CPU seconds of it and the processes it waited for."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, capture_output=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def build_costs(base: Path, runs: int) -> dict:
    """`mkdocs build` of base into site/, the same with the plugin's `search_index: false` (into
    site-unindexed/), and the floor (plain MkDocs over the same pages, `floor_project`), taken in turn
    `runs` times (medians, wall and CPU seconds). **overhead** is the build without an index over the
    floor, which has none; what writing the index adds is its own figure. The last build left in
    site/ is the indexed one."""
    config = yaml_load((base / "mkdocs.yml").read_text("utf-8"))
    config["plugins"] = [{"aitimeline": {"search_index": False}} if p == "aitimeline" else p for p in config["plugins"]]
    (base / "mkdocs.unindexed.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    build = [PY, "-m", "mkdocs", "build", "-q", "-d"]
    commands = {"unindexed": (build[:-1] + ["-f", "mkdocs.unindexed.yml", "-d", "site-unindexed"], base),
                "build": (build + ["site"], base), "floor": (build + ["site"], floor_project(base))}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, cwd) in commands.items():
            times[name].append(timed_cpu(cmd, cwd))
    wall = {name: statistics.median(w for w, _ in found) for name, found in times.items()}
    cpu = {name: statistics.median(c for _, c in found) for name, found in times.items()}
    return {"build_s": wall["build"], "unindexed_s": wall["unindexed"], "floor_s": wall["floor"],
            "overhead": wall["unindexed"] / wall["floor"], "index_s": wall["build"] - wall["unindexed"],
            "index_share": wall["build"] / wall["unindexed"] - 1, "index_cpu_s": cpu["build"] - cpu["unindexed"]}


def project(base: Path, n: int) -> Path:
    """A buildable project: the real mkdocs.yml, templates and docs over n synthetic records."""
    make_dataset(base, n)
    for name in ("templates", "docs", "overrides"):
        shutil.copytree(ROOT / name, base / name, dirs_exist_ok=True)
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        shutil.copy(ROOT / config, base / config)
    return base


def floor_project(base: Path) -> Path:
    """The same pages written out as plain Markdown, built by the same mkdocs.yml minus the plugin
    (with the navigation the plugin would make, so that both sites carry the same pages)."""
    plain = base / "plain"
    subprocess.run([PY, "-m", "aitimeline", "render", "--out", str(plain / "docs")], cwd=base, env=ENV, check=True,
                   capture_output=True)
    shutil.copytree(base / "docs", plain / "docs", dirs_exist_ok=True)
    shutil.copytree(base / "overrides", plain / "overrides")
    config = yaml_load((base / "mkdocs.yml").read_text("utf-8"))  # MkDocs' loader: it reads !ENV
    config["plugins"] = [p for p in config["plugins"] if p != "aitimeline"]
    topics = sorted(yaml.safe_load((base / "data/topics.yaml").read_text("utf-8")))
    config["nav"] = expand_topics(config["nav"], topics)
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return plain


def sizes(site: Path, n: int) -> dict:
    pages = [p for kind in KINDS for p in (site / kind).glob("*/index.html")]
    index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return {"html_per_record_kb": sum(p.stat().st_size for p in pages) / len(pages) / 1024,
            "search_index_per_record_kb": index / n / 1024}


# A name, a word that begins many names (the names answer it), and the worst case for the whole text: words
# of the records' own summaries that are on most pages and that no name holds. Every single word of the
# synthetic summaries (benchmarks/synth.py) is also a word of some names, which would answer it, so the
# worst case is a word of the Chinese summary with one of the English (both on every Chinese record
# page, each on about 70 % of them, together on about half): a name is in one language, so none holds
# the two, and Pagefind ranks every page that has both.
QUERIES = {"word_query": "robot",
           "text_query": "参数 robot"}


def searches(base: Path, runs: int) -> dict:
    """Searches typed into the search box of the built site (benchmarks/query.py): a record's name, and
    QUERIES."""
    queries = {"name_query": yaml.safe_load((base / "data/models/model-00007.yaml").read_text("utf-8"))["name"]["zh"],
               **QUERIES}
    rows = {row["query"]: row for row in query.measure(base / "site", list(queries.values()), runs)}
    return {label: rows[text] for label, text in queries.items()}


def measure_size(n: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        base = project(Path(tmp), n)
        core = [json.loads(subprocess.run([PY, "-c", CORE, str(base)], env=ENV, check=True, capture_output=True,
                                          text=True).stdout) for _ in range(runs)]
        english = [PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.en.yml", "-d", "site/en"]
        both = median_of(runs, lambda: timed([PY, "-m", "mkdocs", "build", "-q", "-d", "site"], base) + timed(english, base))
        english_kb = sizes(base / "site/en", n)["html_per_record_kb"]
        costs = build_costs(base, runs)
        found = searches(base, runs)
        return {"records": n, "load_validate_s": statistics.median(c["check"] for c in core),
                "render_s": statistics.median(c["render"] for c in core), "both_s": both,
                "languages_ratio": both / costs["build_s"], "html_per_record_kb_en": english_kb,
                **costs, **found, **sizes(base / "site", n)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def measure_reload(runs: int) -> float:
    """Seconds from saving one record of the real data to the preview serving the changed page,
    with the preview as `make serve` runs it (`mkdocs serve --dirty`)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("data", "templates", "docs", "overrides"):
            shutil.copytree(ROOT / name, base / name)
        shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
        port = free_port()
        server = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=base, env=ENV,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/aitimeline/models/wudao-2/"
        try:
            deadline = time.monotonic() + 300
            while "Wu Dao" not in page(url) and time.monotonic() < deadline:
                time.sleep(0.2)
            record = base / "data/models/wudao-2.yaml"
            original = record.read_text("utf-8")
            results = []
            for i in range(runs):
                marker = f"reload-marker-{i}"
                start = time.perf_counter()
                record.write_text(original.replace("en: Wu Dao 2.0", f"en: Wu Dao 2.0 {marker}", 1), "utf-8")
                while marker not in page(url):
                    time.sleep(0.02)
                results.append(time.perf_counter() - start)
                time.sleep(1)
            return statistics.median(results)
        finally:
            server.terminate()
            server.wait(timeout=30)


def table(rows: list[dict], reload_s: float | None) -> str:
    lines = ["| records | load + validate (s, CPU) | render (s, CPU) | mkdocs build without index (s) | floor (s) "
             "| overhead | HTML per record page (KB) | search index per record (KB) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['records']:,} | {r['load_validate_s']:.2f} | {r['render_s']:.2f} | {r['unindexed_s']:.1f} | "
                     f"{r['floor_s']:.1f} | {r['overhead']:.3f} | {r['html_per_record_kb']:.1f} | "
                     f"{r['search_index_per_record_kb']:.2f} |")
    lines += ["", "| records | Chinese build (s) | Chinese + English build (s) | ratio | English HTML per record page (KB) |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['records']:,} | {r['build_s']:.1f} | {r['both_s']:.1f} | {r['languages_ratio']:.2f} | "
                     f"{r['html_per_record_kb_en']:.1f} |")
    lines += ["", "| records | build without index (s) | build (s) | indexing adds (s) | share | indexing adds (s, CPU) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['records']:,} | {r['unindexed_s']:.1f} | {r['build_s']:.1f} | {r['index_s']:.1f} | "
                     f"{r['index_share']:.1%} | {r['index_cpu_s']:.1f} |")
    lines += ["", "| records | query | KB transferred | first result, typed at once (ms from the keystroke / from the "
              "pointer reaching the box) | first result, typed once loaded (ms) |", "| ---: | --- | ---: | ---: | ---: |"]
    for r in rows:
        for label in ("name_query", *QUERIES):
            q = r[label]
            lines.append(f"| {r['records']:,} | {label.split('_')[0]}: {q['query']} | {q['bytes'] / 1024:.0f} | "
                         f"{q['cold_ms']:.0f} / {q['cold_from_pointer_ms']:.0f} | {q['warm_ms']:.0f} |")
    by_n = {r["records"]: r for r in rows}
    if 5000 in by_n and 20000 in by_n:
        lines.append(f"\nbuild time(20,000) / time(5,000) = {by_n[20000]['build_s'] / by_n[5000]['build_s']:.2f}")
    if reload_s is not None:
        lines.append(f"\nsave-to-reload under `mkdocs serve`, real data: {reload_s:.2f} s (median)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results")
    parser.add_argument("--no-serve", action="store_true", help="skip the save-to-reload measurement")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        rows.append(measure_size(n, args.runs))
        print(f"measured {n:,} records", file=sys.stderr)
    reload_s = None if args.no_serve else measure_reload(args.runs)
    report = table(rows, reload_s)
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps({"sizes": rows, "reload_s": reload_s}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
