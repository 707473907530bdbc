"""The command line under misuse and faults: one line, the right exit status, no traceback, nothing changed.

Every subcommand with bad values: for each numeric option 0, -1 and a huge value; for each path option a
folder, a missing file or parent, and a place that cannot be written (with the root's override of file
permissions dropped through setpriv, since the tests run as root); a missing tool on PATH; a garbled cache.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_project

DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner",
        "--inh-caps=-dac_override,-dac_read_search,-fowner"]

# (name, arguments with {dir} {missing} {ro} {file} {po} {xlf} {src}, exit status, words of the one line)
CASES = [
    ("build -j 0", ["build", "-j", "0"], 2, "argument --jobs/-j: 0 is out of range"),
    ("build -j -1", ["build", "-j", "-1"], 2, "argument --jobs/-j: -1 is out of range"),
    ("build -j huge", ["build", "-j", "99999999"], 2, "out of range"),
    ("build -j word", ["build", "-j", "many"], 2, "'many' is not a number"),
    ("build --lang xx", ["build", "--lang", "xx"], 2, "--lang xx: the project has no such language"),
    ("build --format docx", ["build", "--format", "docx"], 2, "invalid choice: 'docx'"),
    ("mt --batch 0", ["mt", "--lang", "es", "--engine", "libre", "--batch", "0"], 2, "--batch: 0 is out of range"),
    ("mt --batch -1", ["mt", "--lang", "es", "--engine", "libre", "--batch", "-1"], 2, "out of range"),
    ("mt --batch huge", ["mt", "--lang", "es", "--engine", "libre", "--batch", "10000000"], 2, "out of range"),
    ("mt --timeout 0", ["mt", "--lang", "es", "--engine", "libre", "--timeout", "0"], 2, "--timeout: 0 is out of range"),
    ("mt --timeout -1", ["mt", "--lang", "es", "--engine", "libre", "--timeout", "-1"], 2, "out of range"),
    ("mt --timeout huge", ["mt", "--lang", "es", "--engine", "libre", "--timeout", "1e9"], 2, "out of range"),
    ("mt --engine nosuch", ["mt", "--lang", "es", "--engine", "nosuch"], 2, "invalid choice: 'nosuch'"),
    ("mt --lang en", ["mt", "--lang", "en", "--engine", "libre"], 2, "en is the source language"),
    ("serve --port 0", ["serve", "--port", "0"], 2, "a port is from 1 to 65535"),
    ("serve --port -1", ["serve", "--port", "-1"], 2, "a port is from 1 to 65535"),
    ("serve --port 99999", ["serve", "--port", "99999"], 2, "a port is from 1 to 65535"),
    ("pot SOURCE folder", ["pot", "{dir}", "-o", "{dir}/x.pot"], 2, "a folder; give a file"),
    ("pot SOURCE missing", ["pot", "{missing}", "-o", "{dir}/x.pot"], 2, "no such file"),
    ("pot -o folder", ["pot", "{src}", "-o", "{dir}"], 2, "-o {dir}: a folder; give a file name"),
    ("pot -o unwritable", ["pot", "{src}", "-o", "{ro}/x.pot"], 2, "cannot be written; choose another place"),
    ("pot -o under a file", ["pot", "{src}", "-o", "{file}/x.pot"], 2, "is a file, not a folder"),
    ("apply PO missing", ["apply", "{src}", "{missing}", "-o", "{dir}/x.md"], 2, "no such file"),
    ("apply -o unwritable", ["apply", "{src}", "{po}", "-o", "{ro}/x.md"], 2, "cannot be written"),
    ("check --po folder", ["check", "--po", "{dir}"], 2, "a folder; give a file"),
    ("check --po missing", ["check", "--po", "{missing}"], 2, "no such file"),
    ("check --lang xx", ["check", "--lang", "xx"], 2, "--lang xx: the project has no such language"),
    ("check --doc without --po", ["check", "--doc", "common-goals"], 2, "--doc goes with --po"),
    ("check --po contradicting --lang", ["check", "--po", "{po}", "--lang", "pt"], 2, "contradicts the catalog's"),
    ("export -o a file", ["export", "--xliff", "--lang", "es", "-o", "{file}"], 2, "a file; give a folder"),
    ("export -o unwritable", ["export", "--xliff", "--lang", "es", "-o", "{ro}/x"], 2, "cannot be written"),
    ("import --xliff missing", ["import", "--xliff", "{missing}", "--lang", "es"], 2, "no such file"),
    ("import --xliff folder", ["import", "--xliff", "{dir}", "--lang", "es"], 2, "a folder; give a file"),
    ("import --doc unknown", ["import", "--xliff", "{xlf}", "--lang", "es", "--doc", "nosuch"], 2,
     "--doc nosuch: the project has no such document"),
    ("dist -o folder", ["dist", "-o", "{dir}"], 2, "a folder; give a file name"),
    ("dist -o unwritable", ["dist", "-o", "{ro}/x.zip"], 2, "cannot be written"),
    ("dist -o /proc", ["dist", "-o", "/proc/x.zip"], 2, "cannot be written"),
    ("glossary --tbx folder", ["glossary", "--tbx", "{dir}"], 2, "a folder; give a file name"),
    ("glossary --tbx unwritable", ["glossary", "--tbx", "{ro}/g.tbx"], 2, "cannot be written"),
    ("no such command", ["frobnicate"], 2, "invalid choice: 'frobnicate'"),
]


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in ("translations", "source") for p in sorted((root / part).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("cli") / "project")
    places = root.parent
    (places / "folder").mkdir()
    (places / "readonly").mkdir()
    (places / "readonly").chmod(0o555)
    (places / "a-file").write_text("x", encoding="utf-8")
    (places / "in.xlf").write_text("<xliff/>", encoding="utf-8")
    return root


def run(root: Path, args: list[str], prefix: list[str] = (), env: dict | None = None) -> subprocess.CompletedProcess:
    places = root.parent
    values = {"dir": places / "folder", "missing": places / "nowhere" / "x", "ro": places / "readonly",
              "file": places / "a-file", "po": root / "translations" / "es" / "common-goals.po",
              "xlf": places / "in.xlf", "src": root / "source" / "common-goals.md"}
    filled = [a.format(**values) for a in args]
    return subprocess.run([*prefix, sys.executable, "-m", "publish", "--project", str(root / "publish.toml"), *filled],
                          cwd=root, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("name,args,status,words", CASES, ids=[c[0] for c in CASES])
def test_misuse_is_one_line_with_the_right_status_and_changes_nothing(project, name, args, status, words):
    before = snapshot(project)
    done = run(project, args, DROP)
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("usage:")]
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    assert len(lines) == 1 and words.format(dir=project.parent / "folder") in lines[0], done.stderr
    assert snapshot(project) == before


def _path_without(*programs: str, tmp: Path) -> str:
    bare = tmp / "bin"
    bare.mkdir()
    for folder in ("/usr/bin", "/bin"):
        for program in os.listdir(folder):
            if program not in programs and not (bare / program).exists():
                os.symlink(f"{folder}/{program}", bare / program)
    return str(bare)


@pytest.mark.slow
@pytest.mark.parametrize("missing,args,words", [
    (("fc-list",), ["build", "--lang", "en", "--format", "pdf"],
     "fc-list: not found on PATH; install the Debian package fontconfig"),
    (("java",), ["validate"], "java: not found on PATH; install the Debian package default-jre-headless"),
    (("msgfmt",), ["check"], "msgfmt: not found on PATH; install the Debian package gettext"),
])
def test_a_missing_tool_is_named_with_its_package(tmp_path, missing, args, words):
    root = copy_project(tmp_path / "p")
    before = snapshot(root)
    done = run(root, args, env={**os.environ, "PATH": _path_without(*missing, tmp=tmp_path)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert errors and all(words in line for line in errors), done.stderr
    assert snapshot(root) == before


@pytest.mark.slow
def test_a_read_only_build_folder_is_said_in_one_line(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "build").mkdir()
    (root / "build").chmod(0o555)
    before = snapshot(root)
    done = run(root, ["build", "--lang", "en", "--format", "html"], DROP)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert errors and all("build" in line and ("cannot write" in line or "permission denied" in line)
                          for line in errors), done.stderr
    assert snapshot(root) == before
    checked = run(root, ["check", "--lang", "es"], DROP)              # a check needs no build folder at all
    assert checked.returncode == 0 and "Traceback" not in checked.stderr


def test_stats_into_a_closed_pipe_ends_quietly(project):
    command = f"{sys.executable} -m publish --project {project / 'publish.toml'} stats --format json | head -c 10"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and done.stdout == "[\n {\n  \"la"[:10]


def test_a_garbled_cache_is_a_miss(tmp_path):
    root = copy_project(tmp_path / "p")
    assert run(root, ["check", "--lang", "es"]).returncode == 0
    for entry in (root / "build" / ".cache").rglob("*.json"):
        entry.write_bytes(os.urandom(64))
    done = run(root, ["check", "--lang", "es"])
    assert done.returncode == 0 and "Traceback" not in done.stderr
