from pathlib import Path

from aitimeline.load import MAX_BYTES, Document, load_data, load_file, parse, resolve


def test_core_schema_keeps_dates_and_norway_as_text():
    data, _, problems = parse("a: 2021-06-01\nb: no\nc: 1_750_000\nd: 1.75e12\ne: true\nf: ~\ng: '7'\n", "x.yaml")
    assert problems == []
    assert data == {"a": "2021-06-01", "b": "no", "c": 1750000, "d": 1.75e12, "e": True, "f": None, "g": "7"}


def test_marks_point_at_values_and_list_items():
    data, marks, _ = parse("name:\n  zh: 甲\nlist:\n  - a\n  - b\n", "x.yaml")
    document = Document("x.yaml", "companies", "x", data, marks)
    assert document.mark("name") == (1, 1)
    assert document.mark("name.zh") == (2, 7)
    assert document.mark("list[1]") == (5, 5)
    assert document.mark("list[1].missing") == (5, 5)


def test_resolve_numbers():
    assert resolve("175_000_000_000") == 175_000_000_000
    assert resolve("1.5") == 1.5
    assert resolve("1e3") == 1000.0
    assert resolve("GPT-4") == "GPT-4"


def test_bom_and_crlf_load_with_the_right_lines(tmp_path: Path):
    file = tmp_path / "x.yaml"
    file.write_bytes(b"\xef\xbb\xbfname:\r\n  zh: \xe7\x94\xb2\r\nbad: [\r\n")
    document, problems = load_file(file, "x.yaml", "companies")
    assert document.data is None  # unread, but its id is known
    assert [(p.rule, p.line) for p in problems] == [("yaml-syntax", 4)]
    file.write_bytes(b"\xef\xbb\xbfname:\r\n  zh: \xe7\x94\xb2\r\n")
    document, problems = load_file(file, "x.yaml", "companies")
    assert problems == [] and document.data == {"name": {"zh": "甲"}}
    assert document.mark("name.zh") == (2, 7)


def test_invalid_utf8_is_located(tmp_path: Path):
    file = tmp_path / "x.yaml"
    file.write_bytes(b"name:\n  zh: ab\xff\n")
    _, problems = load_file(file, "x.yaml", "companies")
    assert [(p.rule, p.line, p.column) for p in problems] == [("invalid-utf8", 2, 9)]


def test_binary_file_is_an_error_not_a_crash(tmp_path: Path):
    file = tmp_path / "x.yaml"
    file.write_bytes(bytes(range(0, 128)) * 3)
    _, problems = load_file(file, "x.yaml", "companies")
    assert problems and problems[0].rule == "yaml-syntax"


def test_file_over_one_mebibyte_is_refused_unread(tmp_path: Path):
    file = tmp_path / "x.yaml"
    file.write_bytes(b"tags: [" + b"x, " * (MAX_BYTES // 3) + b"]\n")
    document, problems = load_file(file, "x.yaml", "companies")
    assert document.data is None  # unread, but its id is known
    assert [(p.rule, p.line) for p in problems] == [("file-too-large", 1)]


def test_load_data_walks_kinds_in_order(dataset: Path):
    documents, problems = load_data(dataset / "data", dataset)
    assert problems == []
    paths = [d.path for d in documents]
    assert paths == sorted(paths)
    assert "data/models/gpt-3.yaml" in paths
    assert {d.kind for d in documents} >= {"models", "events", "topics", "sources"}
