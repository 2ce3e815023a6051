"""The bad-file corpus: each file in fixtures/invalid breaks one rule at a known place."""

import json
import re
from pathlib import Path

import pytest

from aitimeline.milestones import MAX_MILESTONES
from aitimeline.pipeline import check
from aitimeline.problems import RULES
from conftest import FIXTURES, ROOT, write_tree

CASES = sorted((FIXTURES / "invalid").glob("*.yaml"))


def header(file: Path) -> tuple[str, int, int, str, str]:
    text = file.read_text("utf-8")
    path = re.search(r"^# path: (\S+)", text, re.M).group(1)
    line, column, rule, message = re.search(r"^# expect: (\d+):(\d+) (\S+) (.*)$", text, re.M).groups()
    return path, int(line), int(column), rule, message


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_file_is_reported_at_its_place(case: Path, dataset: Path):
    path, line, column, rule, message = header(case)
    write_tree(dataset / "data", {path: case.read_bytes()})
    _, problems = check(dataset / "data", dataset)
    found = [p for p in problems if p.path == f"data/{path}"]
    assert any(
        (p.rule, p.line, p.column) == (rule, line, column) and message in p.describe() for p in found
    ), f"expected {line}:{column} {rule} {message!r}, got {found}"
    others = [p for p in problems if p.path != f"data/{path}"]
    if rule == "duplicate-id":  # both files are named, never only the one that was there first
        assert [(p.rule, f"data/{path}" in p.message) for p in others] == [("duplicate-id", True)]
    else:
        assert others == [], "a bad file must not produce problems elsewhere"


# Rules a single bad file cannot show, and the test that shows each.
ELSEWHERE = {
    "file-too-large": "test_hostile.py", "unreadable-file": "test_safety.py", "symlink": "test_safety.py",
    "invalid-utf8": "test_load.py", "yaml-key": "test_properties.py", "control-character": "test_safety.py",
    "ref-cycle": "test_parent_cycle", "too-many-milestones": "test_milestone_cap", "template-error": "test_serve.py",
}


def test_corpus_covers_every_rule():
    rules = {header(case)[3] for case in CASES}
    assert rules | set(ELSEWHERE) == set(RULES), set(RULES) - rules - set(ELSEWHERE)


def test_all_problems_are_reported_at_once(dataset: Path):
    for case in CASES[:6]:
        path = header(case)[0]
        write_tree(dataset / "data", {path: case.read_bytes()})
    _, problems = check(dataset / "data", dataset)
    assert len({p.path for p in problems}) == 6


def test_parent_cycle(dataset: Path):
    company = "name: {{zh: {0}, en: {0}}}\ntype: company\ncountry: US\nparent: {1}\n" \
              "summary: {{zh: 测试。, en: A test record.}}\ntopics: [chips]\nsources: [{{cite: 测试}}]\n"
    write_tree(dataset / "data", {"companies/cycle-a.yaml": company.format("cycle-a", "cycle-b"),
                                  "companies/cycle-b.yaml": company.format("cycle-b", "cycle-a")})
    _, problems = check(dataset / "data", dataset)
    problems = [p for p in problems if p.level == "error"]  # the fixtures' short summaries only warn
    assert [(p.path, p.line, p.rule) for p in problems] == [
        ("data/companies/cycle-a.yaml", 4, "ref-cycle"), ("data/companies/cycle-b.yaml", 4, "ref-cycle")]


MILESTONE = {
    "events": "name: {{zh: 里程碑{0}, en: Milestone {0}}}\ndate: {1}\nkind: release\nimportance: milestone\n"
              "summary: {{zh: 测试。, en: A test record.}}\ntopics: [chips]\nsources: [{{cite: 测试}}]\n",
    "models": "name: {{zh: 模型{0}, en: Model {0}}}\ndate: {1}\nimportance: milestone\norganizations: [openai]\n"
              "summary: {{zh: 测试。, en: A test record.}}\ntopics: [chips]\nsources: [{{cite: 测试}}]\n",
}


@pytest.mark.parametrize("extra", [0, 1, 3])
def test_milestones_past_the_cap_of_a_year_are_reported(dataset: Path, extra: int):
    """Events and models count together, per year (2024: the fixture names none); the latest past the cap are reported."""
    count = MAX_MILESTONES + extra
    files = {f"{'models' if i % 2 else 'events'}/m{i:02d}.yaml":
             MILESTONE["models" if i % 2 else "events"].format(i, f"2024-01-{i + 1:02d}") for i in range(count)}
    files["events/other-year.yaml"] = MILESTONE["events"].format("other", "2022-06")
    write_tree(dataset / "data", files)
    _, problems = check(dataset / "data", dataset)
    problems = [p for p in problems if p.level == "error"]  # the fixtures' short summaries only warn
    late = list(files)[MAX_MILESTONES:count]  # in date order
    assert [(p.path, p.line, p.column, p.rule) for p in problems] == sorted(
        (f"data/{path}", 4 if path.startswith("events") else 3, 13, "too-many-milestones") for path in late)
    assert all(f"{count} milestones" in p.hint and f"at most {MAX_MILESTONES}" in p.hint for p in problems)


def test_the_cap_is_the_one_the_docs_state():
    schema = json.loads((ROOT / "src/aitimeline/schemas/defs.schema.json").read_text("utf-8"))
    assert f"at most {MAX_MILESTONES} a year" in schema["$defs"]["importance"]["description"]
    assert f"at most {MAX_MILESTONES} a year" in (ROOT / "CONTRIBUTING.md").read_text("utf-8")


HOSTILE = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;b&amp;gt;double-encoded",
    "<img src=x onerror=alert(1)>",
    "[a](JaVaScRiPt:alert(1))",
    "[a](java\tscript:alert(1))",
    "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](vbscript:msgbox)",
    "![x](https://example.org/x.png)",
    "[a]: javascript:alert(1)",
    "<https://example.org>",
]
FIELDS = ["name.zh", "name.en", "summary.zh", "summary.en", "note", "aliases", "tags", "sources.cite",
          "sources.section", "figures.label", "figures.unit", "funding.round"]


def event_with(field: str, text: str) -> str:
    """An event record holding `text` in one field, every other field valid."""
    values = {f: f"正常文本{i}" for i, f in enumerate(FIELDS)}
    values[field] = text
    q = json.dumps
    return (f"name: {{zh: {q(values['name.zh'])}, en: {q(values['name.en'])}}}\n"
            f"aliases: [{q(values['aliases'])}]\ntags: [{q(values['tags'])}]\n"
            "date: 2021-05-01\nkind: funding\n"
            f"funding: {{round: {q(values['funding.round'])}}}\n"
            f"summary: {{zh: {q(values['summary.zh'])}, en: {q(values['summary.en'])}}}\n"
            f"note: {q(values['note'])}\ntopics: [chips]\n"
            f"figures: [{{label: {q(values['figures.label'])}, value: 1, unit: {q(values['figures.unit'])}}}]\n"
            f"sources: [{{cite: {q(values['sources.cite'])}, section: {q(values['sources.section'])}}}]\n")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_any_field_is_refused(dataset: Path, text: str, field: str):
    write_tree(dataset / "data", {"events/hostile.yaml": event_with(field, text)})
    _, problems = check(dataset / "data", dataset)
    rules = {p.rule for p in problems}
    assert rules & {"raw-html", "unsafe-link"} and rules <= {"raw-html", "unsafe-link", "bad-format"}, problems
    assert "bad-format" not in rules or "\t" in text  # a tab is a line break in a one-line field
    assert all(p.path == "data/events/hostile.yaml" for p in problems)
    assert all(p.field.startswith(field.split(".")[0]) for p in problems)


def test_the_hostile_template_record_is_valid_with_plain_text(dataset: Path):
    write_tree(dataset / "data", {"events/hostile.yaml": event_with("note", "普通说明")})
    assert [p for p in check(dataset / "data", dataset)[1] if p.level == "error"] == []


def test_a_record_that_does_not_parse_is_still_known_so_nothing_cascades(dataset: Path):
    record = dataset / "data/models/gpt-4.yaml"
    record.write_text(record.read_text("utf-8").replace("organizations:", "  organizations:", 1), "utf-8")
    _, problems = check(dataset / "data", dataset)
    assert {(p.path, p.rule) for p in problems if p.level == "error"} == {("data/models/gpt-4.yaml", "yaml-syntax")}


def test_a_broken_topics_table_is_one_problem_not_one_per_use(dataset: Path):
    topics = dataset / "data/topics.yaml"
    lines = topics.read_text("utf-8").splitlines(keepends=True)
    lines[1] = " " + lines[1]  # one extra space
    topics.write_text("".join(lines), "utf-8")
    _, problems = check(dataset / "data", dataset)
    assert {p.path for p in problems if p.level == "error"} == {"data/topics.yaml"}


def test_a_files_own_problems_come_before_what_they_cause_elsewhere(dataset: Path):
    write_tree(dataset / "data", {"models/zz-new.yaml": "name: {zh: 新, en: New}\nbroken: [\n"})
    event = dataset / "data/events/chatgpt-launch.yaml"
    event.write_text(event.read_text("utf-8").replace("companies: [openai]", "companies: [openai, no-such-lab]"), "utf-8")
    _, problems = check(dataset / "data", dataset)
    rules = [p.rule for p in problems if p.level == "error"]
    assert rules.index("yaml-syntax") < rules.index("unknown-ref")  # though its path sorts after


@pytest.mark.parametrize(("ids", "wrong", "hint"), [
    (["pony-ai", "gpt-4v"], "openai", None),  # a deleted id suggests nothing far from it
    (["gpt4", "gpt-4v"], "gpt-4", "gpt4"),  # the same id without its hyphen beats a longer neighbour
    (["openai", "anthropic"], "openia", "openai"),
])
def test_hints_name_only_a_close_id(ids, wrong, hint):
    from aitimeline.problems import Suggestions
    assert Suggestions(ids).hint(wrong) == (f"did you mean '{hint}'?" if hint else None)


def test_a_record_never_suggests_itself():
    from aitimeline.problems import Suggestions
    assert Suggestions(["gpt-4", "gpt-4o"]).hint("gpt-4x", exclude="gpt-4o") == "did you mean 'gpt-4'?"
    assert Suggestions(["gpt-4o"]).hint("gpt-4x", exclude="gpt-4o") is None
