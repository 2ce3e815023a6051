"""The `aitimeline` command: validate data, render pages, scaffold records."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from aitimeline import __version__, pipeline
from aitimeline.i18n import DEFAULT, LANGUAGES
from aitimeline.problems import FORMATS
from aitimeline.scaffold import create


def cmd_validate(args) -> int:
    targets = [Path(p) for p in args.paths] or [Path("data")]
    for target in targets:
        if not target.exists():
            print(f"aitimeline: {target} does not exist", file=sys.stderr)
            return 2
    data_dirs = {data_dir_of(target) for target in targets}
    if None in data_dirs or len(data_dirs) > 1:
        outside = next(t for t in targets if data_dir_of(t) is None) if None in data_dirs else targets[-1]
        print(f"aitimeline: {outside} is not inside the data folder (a folder named data, or one of its files); "
              "give paths in one data folder", file=sys.stderr)
        return 2
    _, problems = pipeline.check(data_dirs.pop(), Path.cwd())
    wanted = [t.resolve() for t in targets]
    problems = [p for p in problems if any(_within(Path(p.path).resolve(), w) for w in wanted)]
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "parsable")
    sys.stdout.write(FORMATS[fmt](problems))
    failing = [p for p in problems if p.level == "error" or args.strict]
    if fmt == "parsable":
        summary = f"{len(failing)} problem(s)" if failing else "no problems"
        warnings = len(problems) - len(failing)
        summary += f", {warnings} warning(s) (--strict fails on them)" if warnings else ""
        print(f"{' '.join(t.as_posix() for t in targets)}: {summary}", file=sys.stderr)
    return 1 if failing else 0


def data_dir_of(path: Path) -> Path | None:
    """The data folder a path is, or lies in: the nearest folder named `data`."""
    path = path.resolve()
    return next((p for p in (path, *path.parents) if p.name == "data" and p.is_dir()), None)


def _within(path: Path, target: Path) -> bool:
    return path == target or target in path.parents


def cmd_render(args) -> int:
    """Every language's pages and files: Chinese under --out, the others under --out/<language>/."""
    for language in LANGUAGES:
        result = pipeline.run(Path(args.data), Path(args.templates), Path.cwd(), language=language)
        if result.errors:
            sys.stderr.write(FORMATS["parsable"](result.problems))
            return 1
        out = Path(args.out) / ("" if language == DEFAULT else language)
        result.write(out)
        print(f"wrote {len(result.pages)} pages and {len(result.assets)} files to {out}", file=sys.stderr)
    return 0


def cmd_new(args) -> int:
    try:
        path = create(Path(args.data), args.kind, args.id)
    except FileExistsError as error:
        print(f"aitimeline: {error.filename} already exists; nothing was written", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"aitimeline: {error}; nothing was written", file=sys.stderr)
        return 2
    print(path.as_posix())
    print(f"next: open {path.as_posix()}, write the facts in place of every blank and placeholder, "
          f"then run `make validate` (or `aitimeline validate {path.as_posix()}`)", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="aitimeline", description=__doc__)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="print the version and exit")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND",
                             help="one of these; `aitimeline COMMAND -h` shows its options")

    def command(name: str, func, summary: str) -> argparse.ArgumentParser:
        one = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        one.set_defaults(func=func)
        return one

    check = command("validate", cmd_validate, "report every problem in the data")
    check.add_argument("paths", nargs="*", metavar="PATH", help="the data folder, or files and folders in it, to "
                       "report on; the whole folder is checked, since records refer to each other (default: data)")
    check.add_argument("--format", choices=sorted(FORMATS), help="output format; default: github under GitHub Actions, "
                       "else parsable (path:line:column: level[rule]: message)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too, not only on errors")
    render = command("render", cmd_render, "write every language's pages and files to a directory (English under en/)")
    render.add_argument("--out", required=True, help="directory to write the pages and files to")
    render.add_argument("--data", default="data", help="data directory (default: data)")
    render.add_argument("--templates", default="templates", help="templates directory (default: templates)")
    new = command("new", cmd_new, "write a new record file with every field of its kind, for you to fill in")
    new.add_argument("kind", help="event, model, chip, company, prediction or trend")
    new.add_argument("id", help="the new record's id: lowercase letters, digits and single hyphens, "
                     "not used by any record of any kind")
    new.add_argument("--data", default="data", help="data directory to write into (default: data)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
