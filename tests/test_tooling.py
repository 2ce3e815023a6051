"""The project's own tooling: make help, the lock files, lint and pre-commit, the workflows, file modes."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

BIN = Path(sys.executable).parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)(?: ; (?P<marker>.+?))? \\\n"
                 r"(?P<hashes>(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def pins(lock: str) -> list[dict]:
    """The pins of a lock file; fails on any requirement line that is not pinned with hashes."""
    text = (ROOT / lock).read_text("utf-8")
    found = [m.groupdict() for m in PIN.finditer(text)]
    requirement_lines = [line for line in text.splitlines() if line and not line[0].isspace() and line[0] != "#"]
    assert len(requirement_lines) == len(found), f"{lock}: a requirement without == and --hash lines"
    return found


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_make_help_lists_every_target_with_its_help():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    documented = dict(re.findall(r"^([a-z-]+):[^\n#]*## (.+)$", makefile, re.M))
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.M).group(1).split()
    assert set(phony) == set(documented), "every target has a `##` help text"
    result = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shown = {line.split()[1]: " ".join(line.split()[2:]) for line in result.stdout.splitlines()}
    assert shown == {target: " ".join(text.split()) for target, text in documented.items()}


@pytest.mark.parametrize("lock, extras", [("requirements.lock", []), ("requirements-dev.lock", ["test", "dev"])])
def test_lock_pins_every_dependency_of_pyproject_with_hashes(lock: str, extras: list[str]):
    project = pyproject()
    wanted = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    wanted += [r for extra in extras for r in project["project"]["optional-dependencies"][extra]]
    pinned: dict[str, list[str]] = {}
    for pin in pins(lock):
        pinned.setdefault(canonicalize_name(pin["name"]), []).append(pin["version"])
    for requirement in map(Requirement, wanted):
        versions = pinned.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in {lock}: run `make lock`"
        assert all(requirement.specifier.contains(v, prereleases=True) for v in versions), \
            f"{lock} pins {requirement.name} {versions}, outside {requirement.specifier}: run `make lock`"


def test_site_lock_pins_what_the_tests_ran_with():
    dev = {(p["name"], p["version"], p["marker"]) for p in pins("requirements-dev.lock")}
    site = {(p["name"], p["version"], p["marker"]) for p in pins("requirements.lock")}
    assert site <= dev
    assert not any(name == "pytest" for name, _, _ in site)


def test_this_environment_was_installed_from_the_lock():
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("not running in the project's .venv (make test installs it from requirements-dev.lock)")
    for pin in pins("requirements-dev.lock"):
        if pin["marker"] and not Marker(pin["marker"]).evaluate():
            continue
        try:
            installed = version(pin["name"])
        except PackageNotFoundError:
            installed = None
        assert installed == pin["version"], pin["name"]


def test_only_scripts_are_executable():
    for line in git("ls-files", "-s").splitlines():
        mode, _, _, path = line.split(maxsplit=3)
        if mode == "100755":
            assert not path.startswith("data/"), f"{path}: a data file must not be executable"
            assert (ROOT / path).read_bytes().startswith(b"#!"), f"{path} is executable but is no script"
    for path in filter(Path.is_file, (ROOT / "data").rglob("*")):
        assert not path.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH), f"{path} is executable"


def test_pre_commit_hooks_are_local_and_pass_offline(tmp_path: Path):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    for repo in config["repos"]:
        assert repo["repo"] == "local", "a hook from another repository would be downloaded"
        for hook in repo["hooks"]:
            assert hook["language"] in ("system", "unsupported") and hook["entry"].startswith(".venv/bin/"), hook["id"]
    offline = ["unshare", "-rn"] if shutil.which("unshare") and subprocess.run(
        ["unshare", "-rn", "true"], capture_output=True).returncode == 0 else []
    result = subprocess.run([*offline, str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert {hook["name"] for repo in config["repos"] for hook in repo["hooks"]} <= {
        line.rsplit(".", 1)[0].rstrip(".") for line in result.stdout.splitlines() if line.endswith("Passed")}


def jactionlint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "jactionlint"), f"--shellcheck={BIN / 'shellcheck'}", "--no-color", *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True)


def test_workflows_pass_actionlint():
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    result = jactionlint(*workflows)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_actionlint_refuses_an_unpinned_action_and_a_job_without_timeout(tmp_path: Path):
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v4\n", "utf-8")
    result = jactionlint(bad)
    assert "unpinned-uses" in result.stdout and "missing-timeout" in result.stdout


def workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / f".github/workflows/{name}").read_text("utf-8"))
    return {("on" if key is True else key): value for key, value in data.items()}  # YAML 1.1 reads `on` as true


def test_one_run_per_pull_request_and_tests_before_every_deploy():
    pull_request, deploy = workflow("pull-request.yml"), workflow("deploy.yml")
    assert set(pull_request["on"]) == {"pull_request"}
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert pull_request["jobs"]["test"]["uses"] == deploy["jobs"]["test"]["uses"] == "./.github/workflows/test.yml"
    jobs = deploy["jobs"]
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    steps = workflow("test.yml")["jobs"]["test"]["steps"]
    assert [s["run"] for s in steps if "run" in s] == ["make validate", "make test"]
    setups = [s for job in (workflow("test.yml")["jobs"]["test"], jobs["build"]) for s in job["steps"]
              if s.get("uses", "").startswith("actions/setup-python@")]
    assert [s["with"]["cache"] for s in setups] == ["pip", "pip"]


@pytest.mark.parametrize("env, url", [
    ({"GITHUB_REPOSITORY": "AiTimeline/aitimeline"}, "https://aitimeline.github.io/aitimeline/"),
    ({"GITHUB_REPOSITORY": "someone/Someone.github.io"}, "https://someone.github.io/"),
    ({"GITHUB_REPOSITORY": "a/b", "SITE_URL": "https://ai.example.cn"}, "https://ai.example.cn/"),
])
def test_site_url_is_where_github_pages_publishes(env: dict, url: str):
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GITHUB_REPOSITORY")}
    result = subprocess.run(["bash", "scripts/site-url"], cwd=ROOT, capture_output=True, text=True, env={**clean, **env})
    assert result.stdout == url + "\n"


def test_the_deploy_builds_for_the_published_address():
    build = workflow("deploy.yml")["jobs"]["build"]
    step = next(s for s in build["steps"] if "make build" in s.get("run", ""))
    assert 'SITE_URL="$(bash scripts/site-url)"' in step["run"] and "export SITE_URL" in step["run"]
    assert re.search(r"^site_url: !ENV \[SITE_URL, \S+\]$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
    assert "example.org" not in (ROOT / "mkdocs.yml").read_text("utf-8")


def test_mkdocs_reads_the_site_url_from_the_environment(monkeypatch):
    from mkdocs.config import load_config
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/aitimeline/")
    assert load_config(str(ROOT / "mkdocs.yml"))["site_url"] == "https://someone.github.io/aitimeline/"
    monkeypatch.delenv("SITE_URL")
    assert load_config(str(ROOT / "mkdocs.yml"))["site_url"].startswith("http://127.0.0.1:8000/")
