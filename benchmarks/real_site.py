"""The real data: the full build's overhead over plain MkDocs, and the preview's save-to-reload.

    .venv/bin/python benchmarks/real_site.py [--runs 3]

- **overhead**: `mkdocs build` of the site without its search index / `mkdocs build` of the same
  pages written out as plain Markdown (`aitimeline render --out`) with the same mkdocs.yml minus the
  plugin, which has no index; the three builds are taken in turn. Goal ≤ 1.10.
- **indexing adds**: `mkdocs build` / the same build with the plugin's `search_index: false`, less
  one (wall seconds; the CPU seconds it adds too). Goal ≤ 10 %.
- **save-to-reload** under `mkdocs serve --dirty`, both languages at once as `make serve` runs them:
  seconds from saving a file to the preview serving the changed page, for a record in Chinese
  (goal ≤ 1.5 s) and in English (≤ 2 s), the year pages' template (≤ 2 s), and a broken record
  going into and out of the error state (≤ 2 s each).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ENV, PY, build_costs, free_port, page  # noqa: E402
from synth import ROOT  # noqa: E402

from aitimeline.i18n import Messages  # noqa: E402


def copy_project(base: Path) -> Path:
    for name in ("data", "templates", "docs", "overrides"):
        shutil.copytree(ROOT / name, base / name)
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        shutil.copy(ROOT / config, base / config)
    return base


def measure_overhead(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return build_costs(copy_project(Path(tmp)), runs)


def until(url: str, check, limit: float = 120) -> float:
    """Seconds until the page at url satisfies check."""
    start = time.perf_counter()
    while not check(page(url)):
        if time.perf_counter() - start > limit:
            raise TimeoutError(url)
        time.sleep(0.02)
    return time.perf_counter() - start


def measure_preview(runs: int) -> dict:
    held = Messages().t("preview.held")
    with tempfile.TemporaryDirectory() as tmp:
        base = copy_project(Path(tmp))
        ports = free_port(), free_port()
        servers = [subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dirty", "-f", config, "-a", f"127.0.0.1:{port}"],
                                    cwd=base, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for config, port in zip(("mkdocs.yml", "mkdocs.en.yml"), ports, strict=True)]
        root, english = f"http://127.0.0.1:{ports[0]}/aitimeline/", f"http://127.0.0.1:{ports[1]}/aitimeline/en/"
        record, template = base / "data/models/wudao-2.yaml", base / "templates/year.md.j2"
        broken = base / "data/models/gpt-4.yaml"
        texts = {f: f.read_text("utf-8") for f in (record, template, broken)}
        times: dict[str, list[float]] = {"record": [], "record, English": [], "template": [], "into error": [],
                                         "out of error": []}
        try:
            for url in (root, english):
                until(url + "models/wudao-2/", lambda body: "Wu Dao" in body, limit=600)
            for i in range(runs):
                saved = time.perf_counter()
                record.write_text(texts[record].replace("en: Wu Dao 2.0", f"en: Wu Dao 2.0 saved-{i}", 1), "utf-8")
                times["record"].append(until(root + "models/wudao-2/", lambda body, i=i: f"saved-{i}" in body))
                until(english + "models/wudao-2/", lambda body, i=i: f"saved-{i}" in body)
                times["record, English"].append(time.perf_counter() - saved)
                settle()
                template.write_text(texts[template] + f"\n<!-- template-{i} -->\n", "utf-8")
                times["template"].append(until(root + "years/2023/", lambda body, i=i: f"template-{i}" in body))
                settle()
                broken.write_text(texts[broken].replace("organizations: [openai]", "organizations: [openia]"), "utf-8")
                times["into error"].append(until(root + "models/gpt-4/", lambda body: held in body))
                settle()
                broken.write_text(texts[broken], "utf-8")
                times["out of error"].append(until(root + "models/gpt-4/", lambda body: "GPT-4" in body and held not in body))
                settle()
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    return {name: statistics.median(values) for name, values in times.items()}


def settle() -> None:
    """Let both previews finish their rebuild (and the search indexing that follows it)."""
    time.sleep(3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("build", "preview"), help="measure one of the two")
    args = parser.parse_args()
    if args.only != "preview":
        build = measure_overhead(args.runs)
        print("| real site | mkdocs build (s) | without search index (s) | indexing adds | indexing adds (s, CPU) "
              "| floor (s) | overhead |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
              f"| {len(list((ROOT / 'data').glob('*/*.yaml'))):,} records | {build['build_s']:.1f} "
              f"| {build['unindexed_s']:.1f} | {build['index_share']:.1%} | {build['index_cpu_s']:.1f} "
              f"| {build['floor_s']:.1f} | {build['overhead']:.3f} |\n")
    if args.only != "build":
        preview = measure_preview(args.runs)
        print("| save-to-reload, `make serve` | " + " | ".join(preview) + " |\n"
              "| --- |" + " ---: |" * len(preview) + "\n"
              f"| median of {args.runs} (s) | " + " | ".join(f"{v:.2f}" for v in preview.values()) + " |")


if __name__ == "__main__":
    main()
