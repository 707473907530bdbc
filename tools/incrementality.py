"""What a build rebuilds after each everyday change, counted in artifacts: the table `make bench` prints and
the tests hold. Each scenario runs in a git copy of the project with a second document beside the first.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SECOND = """---
title: A Second Report
---

# Scope {#scope}

This second report checks that an edit to one document rebuilds that document alone.

It has a second paragraph, with a citation [@undp-mpi-2023].
"""

BUILT = re.compile(r"^built (\S+) \(", re.MULTILINE)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
                        "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
                        "PATH": "/usr/bin:/bin"})


def prepare(root: Path, languages: list[str] | None = None) -> None:
    """A second document in the project, only ``languages`` kept (all when None), and a git repository."""
    (root / "source" / "second.md").write_text(SECOND, encoding="utf-8")
    project = (root / "publish.toml").read_text(encoding="utf-8")
    project = project.replace("\n[[languages]]", '\n[[documents]]\nid = "second"\nsource = "source/second.md"\n'
                                                  'bibliography = "source/references.yaml"\n'
                                                  'csl = "templates/csl/house-note.csl"\n\n[[languages]]', 1)
    if languages is not None:
        tables = project.split("\n[[languages]]")
        project = tables[0] + "".join("\n[[languages]]" + t for t in tables[1:]
                                      if re.search(r'code = "(%s)"' % "|".join(languages), t))
        project = project.replace("\n[pdf]", "\n\n[pdf]") if "\n[pdf]" in project else project
    (root / "publish.toml").write_text(project, encoding="utf-8")
    (root / "README.md").write_text("# The project\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The project")


def build(root: Path, *args: str) -> list[str]:
    """Run `publish build`; the artifacts it built, relative to build/."""
    done = subprocess.run([sys.executable, "-m", "publish", "build", *args], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"publish build failed:\n{done.stderr}")
    # A draft (an edition not published) counts where its published artifact would be.
    return sorted(re.sub(r"^drafts/[^/]+/", "", p.removeprefix("build/")) for p in BUILT.findall(done.stderr))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _one_entry(root: Path) -> None:
    po = root / "translations" / "es" / "common-goals.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Objetivos comunes"', 'msgstr "Objetivos  comunes"', 1),
                  encoding="utf-8")


def _one_paragraph(root: Path) -> None:
    source = root / "source" / "second.md"
    source.write_text(source.read_text(encoding="utf-8").replace("It has a second paragraph",
                                                                   "It has a revised second paragraph"),
                      encoding="utf-8")


def _commit(message: str, change=None):
    def act(root: Path) -> None:
        if change is not None:
            change(root)
        git(root, "commit", "-q", "-a", "--allow-empty", "-m", message)
    return act


_OVERRIDE = '\n[[qa-overrides]]\nreason = "A figure the authors confirmed."\ncheck = "numbers"\nlanguage = "es"\n'


def expected(languages: list[str]):
    """Each scenario: its name, what it does, and the artifacts it must rebuild (a function of the formats)."""
    def of(doc: str, langs, formats) -> list[str]:
        return sorted(f"{lang}/{doc}.{fmt}" for lang in langs for fmt in formats)
    formats = ("html", "epub", "pdf")
    return [
        ("empty commit", _commit("Nothing"), []),
        ("README edit and commit", _commit("README", lambda r: _append(r / "README.md", "More words.\n")), []),
        ("one .po entry (es)", _one_entry, of("common-goals", ["es"], formats)),
        ("one paragraph of a document", _one_paragraph, of("second", languages, formats)),
        ("print stylesheet", lambda r: _append(r / "templates" / "css" / "print.css", "\n/* print */\n"),
         sorted(of("common-goals", languages, ["pdf"]) + of("second", languages, ["pdf"]))),
        ("web stylesheet", lambda r: _append(r / "templates" / "css" / "screen.css", "\n/* web */\n"),
         sorted(of("common-goals", languages, ["html"]) + of("second", languages, ["html"]))),
        ("EPUB stylesheet", lambda r: _append(r / "templates" / "css" / "epub.css", "\n/* epub */\n"),
         sorted(of("common-goals", languages, ["epub"]) + of("second", languages, ["epub"]))),
        ("a QA override in publish.toml", lambda r: _append(r / "publish.toml", _OVERRIDE), []),
    ]


def measure(root: Path, languages: list[str], *build_args: str) -> list[tuple[str, list[str], list[str]]]:
    """After a first build, each scenario in turn: (name, artifacts rebuilt, artifacts expected)."""
    build(root, *build_args)
    rows = []
    for name, act, wanted in expected(languages):
        act(root)
        rows.append((name, build(root, *build_args), wanted))
    return rows
