"""The `aitimeline` command: validate data, render pages, scaffold records."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from aitimeline import pipeline
from aitimeline.problems import FORMATS
from aitimeline.scaffold import create


def cmd_validate(args) -> int:
    target = Path(args.path)
    data_dir = target if target.is_dir() else _data_dir_of(target)
    _, problems = pipeline.check(data_dir, Path.cwd())
    if target.is_file():
        wanted = target.resolve()
        problems = [p for p in problems if Path(p.path).resolve() == wanted]
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "parsable")
    sys.stdout.write(FORMATS[fmt](problems))
    failing = [p for p in problems if p.level == "error" or args.strict]
    if fmt == "parsable":
        summary = f"{len(failing)} problem(s)" if failing else "no problems"
        print(f"{target.as_posix()}: {summary}", file=sys.stderr)
    return 1 if failing else 0


def cmd_render(args) -> int:
    result = pipeline.run(Path(args.data), Path(args.templates), Path.cwd())
    if result.errors:
        sys.stderr.write(FORMATS["parsable"](result.problems))
        return 1
    out = Path(args.out)
    result.write(out)
    print(f"wrote {len(result.pages)} pages and {len(result.assets)} files to {out}", file=sys.stderr)
    return 0


def cmd_new(args) -> int:
    try:
        path = create(Path(args.data), args.kind, args.id)
    except FileExistsError as error:
        print(f"aitimeline: {error.filename} already exists; nothing was written", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"aitimeline: {error}", file=sys.stderr)
        return 2
    print(path.as_posix())
    return 0


def _data_dir_of(file: Path) -> Path:
    for parent in file.resolve().parents:
        if parent.name == "data":
            return parent
    raise SystemExit(f"aitimeline: {file} is not inside a data/ directory")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="aitimeline", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="report every problem in the data")
    check.add_argument("path", nargs="?", default="data", help="data directory or one record file")
    check.add_argument("--format", choices=sorted(FORMATS), help="default: github under GitHub Actions, else parsable")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.set_defaults(func=cmd_validate)
    render = sub.add_parser("render", help="write the generated Markdown pages to a directory")
    render.add_argument("--out", required=True)
    render.add_argument("--data", default="data")
    render.add_argument("--templates", default="templates")
    render.set_defaults(func=cmd_render)
    new = sub.add_parser("new", help="write a new record file with every field of its kind")
    new.add_argument("kind", help="event, model, chip, company, prediction or trend")
    new.add_argument("id", help="the record id: lowercase letters, digits and hyphens")
    new.add_argument("--data", default="data")
    new.set_defaults(func=cmd_new)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
