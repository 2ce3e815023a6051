"""Validate stays linear: 20,000 synthetic records, 4,000 of them naming an unknown company.

    .venv/bin/python benchmarks/validate_cost.py [--records 20000] [--unknown 4000]

Each unknown reference gets a did-you-mean hint from a bounded pool, so the cost of a bad pull
request grows with its size, not with the size of the data times the number of its mistakes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_dataset  # noqa: E402

from aitimeline.pipeline import check  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--unknown", type=int, default=4_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_dataset(Path(tmp), args.records)
        events = sorted((root / "data/events").glob("*.yaml"))[: args.unknown]
        for file in events:  # a typo in the first company each event names
            file.write_text(file.read_text("utf-8").replace("- companie-", "- compnaie-", 1), "utf-8")
        start, cpu = time.perf_counter(), time.process_time()
        _, problems = check(root / "data", root)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    unknown = [p for p in problems if p.rule == "unknown-ref"]
    hinted = sum(1 for p in unknown if p.hint)
    print(f"| records | unknown references | hinted | validate (s, wall) | validate (s, CPU) |\n"
          f"| ---: | ---: | ---: | ---: | ---: |\n"
          f"| {args.records:,} | {len(unknown):,} | {hinted:,} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
