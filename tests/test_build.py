"""The build: gates decided on every build, drafts apart from the published tree, keys that follow the
real inputs (counted in artifacts rebuilt), and a cache that can only ever miss."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from publish.build import BuildOptions, build
from publish.cli import main
from publish.project import load_project

from .conftest import ROOT, built_paths, copy_project, set_msgstr

sys.path.insert(0, str(ROOT / "tools"))
import incrementality  # noqa: E402

pytestmark = pytest.mark.slow
HTML = BuildOptions(languages=["en", "es"], formats=["html"])


def set_option(project, language: str, option: str):
    text = project.path.read_text(encoding="utf-8")
    head, _, rest = text.partition(f'code = "{language}"\n')
    project.path.write_text(f'{head}code = "{language}"\n{option}\n{rest}', encoding="utf-8")
    return load_project(project.path)


def verify_figures(root: Path) -> None:
    for csv in (root / "source" / "figures").glob("*.csv"):
        csv.write_text(csv.read_text(encoding="utf-8").replace(",no,", ",yes,"), encoding="utf-8")


# -- gates ------------------------------------------------------------------------------------------

def test_a_release_after_a_build_is_refused_while_data_is_provisional(project_copy, capsys):
    assert main(["--project", str(project_copy.path), "build", "--format", "html"]) == 0
    capsys.readouterr()
    assert main(["--project", str(project_copy.path), "build", "--format", "html", "--release"]) == 1
    err = capsys.readouterr().err
    for lang in ("en", "es", "pt", "zh"):
        assert f"error: common-goals ({lang}): refused, kept as a draft in build/drafts/common-goals/{lang}/: " \
               "figures fig-trade are drawn from unverified data" in err
    for lang in ("en", "es", "pt", "zh"):       # the published tree holds no refused edition
        assert not (project_copy.build_dir / lang / "common-goals.html").exists()
        assert (project_copy.build_dir / "drafts" / "common-goals" / lang / "common-goals.html").exists()
    assert not (project_copy.build_dir / "index.html").exists()
    verify_figures(project_copy.root)
    assert main(["--project", str(project_copy.path), "build", "--format", "html", "--release"]) == 0
    assert (project_copy.build_dir / "es" / "common-goals.html").exists()
    assert not (project_copy.build_dir / "drafts").exists()


def test_every_reason_is_named_at_once(project_copy):
    target = project_copy.catalog_path("common-goals", "es")
    entry = next(e for e in __import__("polib").pofile(str(target)) if "2024" in e.msgstr and not e.obsolete)
    set_msgstr(target, entry.msgctxt, entry.msgstr.replace("2024", "2025"))
    result = build(project_copy, BuildOptions(languages=["es"], formats=["html"], release=True))
    reasons = result.verdicts[("common-goals", "es")].reasons
    assert len(reasons) == 3 and "QA error" in reasons[0] and "unverified data" in reasons[1]
    assert "99% translated, below the 100% that release-completeness" in reasons[2]   # (the entry falls back)


def test_an_edition_below_its_minimum_is_in_progress_a_draft_not_a_failure(project_copy):
    project = set_option(project_copy, "pt", "min-completeness = 100")
    target = project.catalog_path("common-goals", "pt")
    set_msgstr(target, "introduction/p1", "")
    result = build(project, BuildOptions(languages=["en", "pt"], formats=["html"]))
    assert result.ok, (result.errors, result.verdicts)
    verdict = result.verdicts[("common-goals", "pt")]
    assert verdict.state == "in progress" and "99% translated, below the 100%" in verdict.reasons[0]
    assert not (project.build_dir / "pt" / "common-goals.html").exists()
    draft = project.build_dir / "drafts" / "common-goals" / "pt" / "common-goals.html"
    page = BeautifulSoup(draft.read_text(encoding="utf-8"), "html.parser")
    assert "Rascunho: esta edição não está publicada." in page.select_one(".draft-notice").get_text()
    assert page.select_one("a.site-title")["href"] == "../../../index.html"
    english = BeautifulSoup((project.build_dir / "en" / "common-goals.html").read_text(encoding="utf-8"),
                            "html.parser")
    assert [a["hreflang"] for a in english.select("nav.languages a")] == ["en"]     # no link to a draft
    index = (project.build_dir / "index.html").read_text(encoding="utf-8")
    assert "en/common-goals.html" in index and "pt/common-goals" not in index


def test_a_refused_edition_leaves_the_published_tree_and_comes_back(project_copy):
    assert build(project_copy, HTML).ok
    published = project_copy.build_dir / "es" / "common-goals.html"
    assert published.exists()
    target = project_copy.catalog_path("common-goals", "es")
    good = target.read_bytes()
    set_msgstr(target, "introduction/p1", "Texto <script>alert(1)</script>.")
    result = build(project_copy, HTML)
    assert not result.ok and result.verdicts[("common-goals", "es")].state == "refused"
    assert not published.exists() and "es/common-goals" not in (project_copy.build_dir / "index.html").read_text()
    target.write_bytes(good)
    assert build(project_copy, HTML).ok and published.exists()
    assert not (project_copy.build_dir / "drafts").exists()


def test_a_release_keeps_an_incomplete_edition_as_a_draft_without_failing_the_others(project_copy):
    verify_figures(project_copy.root)
    set_msgstr(project_copy.catalog_path("common-goals", "pt"), "introduction/p1", "")
    result = build(project_copy, BuildOptions(languages=["en", "pt", "zh"], formats=["html"], release=True))
    assert result.ok, (result.errors, result.verdicts)
    assert result.verdicts[("common-goals", "pt")].state == "not released"
    assert result.verdicts[("common-goals", "zh")].published and result.verdicts[("common-goals", "en")].published
    assert (project_copy.build_dir / "drafts" / "common-goals" / "pt" / "common-goals.html").exists()


def test_a_free_worker_takes_the_longest_task_ready(project_copy):
    """PDFs first, then what decides an edition (in the order it came), then the short renders: the
    short ones fill in at the end of a build instead of a PDF."""
    from concurrent.futures import Future
    from publish.build import BuildResult, _Run
    taken = []

    class Pool:
        def submit(self, function, *args):
            taken.append(args[0])
            return Future()
    run = _Run(project_copy, None, BuildOptions(), [], BuildResult(), jobs=1)
    run.pool = Pool()
    for what in [("render", None, Path("a.html"), "key"), ("check", None), ("render", None, Path("a.epub"), "key"),
                 ("prepare", None), ("render", None, Path("a.pdf"), "key")]:
        run.waiting.append((what, str, (what[2].name if what[0] == "render" else what[0],)))
    while run.waiting:
        run._start()
        run.running.clear()            # the task taken is done: the worker is free again
    assert taken == ["a.pdf", "check", "prepare", "a.epub", "a.html"]


# -- keys -------------------------------------------------------------------------------------------

def test_what_each_everyday_change_rebuilds(tmp_path):
    """The incrementality table of `make bench`, on a smaller copy (en and es)."""
    root = copy_project(tmp_path / "p")
    incrementality.prepare(root, ["en", "es"])
    rows = incrementality.measure(root, ["en", "es"])
    assert [(name, rebuilt) for name, rebuilt, _ in rows] == [(name, wanted) for name, _, wanted in rows]


def test_a_change_to_the_segmentation_code_re_extracts_every_catalog(tmp_path):
    """The same build cache, with a segmentation that writes another hint for translators."""
    root = copy_project(tmp_path / "p")
    run = [sys.executable, "-m", "publish", "build", "--lang", "en", "--format", "html"]
    subprocess.run(run, cwd=root, check=True, capture_output=True)
    package = tmp_path / "src" / "publish"
    shutil.copytree(ROOT / "src" / "publish", package, ignore=shutil.ignore_patterns("__pycache__"))
    segments = package / "segments.py"
    segments.write_text(segments.read_text(encoding="utf-8").replace(
        '"A heading."', '"A heading: keep it short."'), encoding="utf-8")
    done = subprocess.run(run, cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tmp_path / "src")})
    assert done.returncode == 0, done.stderr
    for path in [root / "translations" / "common-goals.pot",
                 *(root / "translations" / lang / "common-goals.po" for lang in ("es", "pt", "zh"))]:
        text = path.read_text(encoding="utf-8")
        assert "#. A heading: keep it short.\n" in text and "#. A heading.\n" not in text, path


def test_the_edition_date_follows_its_inputs_not_the_repository(tmp_path):
    root = copy_project(tmp_path / "p")
    incrementality.prepare(root, ["en"])
    project = load_project(root / "publish.toml")
    options = BuildOptions(languages=["en"], formats=["html"])

    def printed() -> str:
        page = BeautifulSoup((project.build_dir / "en" / "common-goals.html").read_text(encoding="utf-8"), "html.parser")
        return page.select_one("footer.colophon").get_text(" ", strip=True)

    env = {"GIT_AUTHOR_DATE": "2024-09-01T12:00:00Z", "GIT_COMMITTER_DATE": "2024-09-01T12:00:00Z"}
    subprocess.run(["git", "commit", "-q", "--amend", "--no-edit"], cwd=root, check=True,
                   env={**os.environ, **env, "GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.org",
                        "GIT_COMMITTER_NAME": "E", "GIT_COMMITTER_EMAIL": "e@example.org"})
    build(project, options)
    assert "Edition of September 1, 2024." in printed()
    incrementality.git(root, "commit", "-q", "--allow-empty", "-m", "later")       # touches no input
    assert build(project, options).built == [] and "September 1, 2024" in printed()
    text = project.path.read_text(encoding="utf-8").replace('id = "common-goals"\n',
                                                            'id = "common-goals"\ndate = 2025-03-14\n')
    project.path.write_text(text, encoding="utf-8")
    project = load_project(project.path)
    build(project, options)
    assert "Edition of March 14, 2025." in printed()


def test_without_git_the_date_is_the_newest_input(project_copy):
    source = project_copy.root / "source" / "common-goals.md"
    os.utime(source, (1_700_000_000, 1_700_000_000))      # 14 November 2023
    for other in project_copy.root.rglob("*"):
        if other.is_file() and other != source:
            os.utime(other, (1_600_000_000, 1_600_000_000))
    build(project_copy, BuildOptions(languages=["en"], formats=["html"]))
    page = (project_copy.build_dir / "en" / "common-goals.html").read_text(encoding="utf-8")
    assert "Edition of November 14, 2023." in page


def test_two_clean_builds_are_byte_identical(tmp_path, monkeypatch):
    outputs = []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732752000")
    for run in ("a", "b"):
        project = load_project(copy_project(tmp_path / run) / "publish.toml")
        assert build(project, BuildOptions(languages=["en", "zh"])).ok
        outputs.append({p.relative_to(project.build_dir): p.read_bytes()
                        for p in project.build_dir.glob("*/common-goals.*")})
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) == 6
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_source_date_epoch_stamps_the_files_not_the_printed_date(project_copy, monkeypatch):
    from pypdf import PdfReader
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732752000")            # 28 November 2024
    text = project_copy.path.read_text(encoding="utf-8").replace('id = "common-goals"\n',
                                                                 'id = "common-goals"\ndate = 2024-09-01\n')
    project_copy.path.write_text(text, encoding="utf-8")
    project = load_project(project_copy.path)
    assert build(project, BuildOptions(languages=["en"], formats=["pdf"])).ok
    pdf = PdfReader(project.build_dir / "en" / "common-goals.pdf")
    assert pdf.metadata["/CreationDate"].startswith("D:20241128")
    text = subprocess.run(["pdftotext", str(project.build_dir / "en" / "common-goals.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "Edition of September 1, 2024." in " ".join(text.split())


# -- the cache can only miss ------------------------------------------------------------------------

class _Payload:
    def __reduce__(self):
        return (os.system, (f"touch {Path.cwd() / 'PWNED'}",))


def test_garbage_truncated_or_hostile_cache_files_are_misses(project_copy, tmp_path, monkeypatch):
    options = BuildOptions(languages=["en", "es"], formats=["html"])
    assert build(project_copy, options).ok
    good = {p: p.read_bytes() for p in project_copy.build_dir.glob("*/common-goals.html")}
    monkeypatch.chdir(tmp_path)
    payload = pickle.dumps(_Payload())
    entries = sorted(p for p in (project_copy.build_dir / ".cache").rglob("*") if p.is_file())
    assert len(entries) > 10
    for number, entry in enumerate(entries):
        content = entry.read_bytes()
        entry.write_bytes([payload, os.urandom(512), content[: len(content) // 2], b"{}", b'{"key": 1}'][number % 5])
    for folder in ("read", "checks", "ast", "state.json"):
        (project_copy.build_dir / ".cache" / folder).mkdir(exist_ok=True)
        (project_copy.build_dir / ".cache" / folder / "x.pickle").write_bytes(payload)
    for path in good:
        path.unlink()
    assert main(["--project", str(project_copy.path), "build", "--lang", "en", "--lang", "es",
                 "--format", "html"]) == 0
    assert main(["--project", str(project_copy.path), "check"]) == 0
    assert not (tmp_path / "PWNED").exists()
    assert {p: p.read_bytes() for p in good} == good                 # the same pages, made again


def test_the_cache_holds_json_data_only(project_copy):
    import json
    assert build(project_copy, BuildOptions(languages=["en", "es"], formats=["html"])).ok
    for entry in (project_copy.build_dir / ".cache").rglob("*.json"):
        data = json.loads(entry.read_bytes())
        assert set(data) == {"key", "value"} and entry.stem == data["key"]
    assert not [p for p in (project_copy.build_dir / ".cache").rglob("*") if p.is_file() and p.suffix != ".json"]


def test_an_image_of_the_source_reaches_every_format(project_copy):
    import zipfile
    from PIL import Image
    Image.new("RGB", (40, 20), (0, 90, 160)).save(project_copy.root / "source" / "figures" / "extra.png")
    source = project_copy.root / "source" / "common-goals.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n![An external figure](figures/extra.png)\n",
                      encoding="utf-8")
    assert build(project_copy, BuildOptions(languages=["en"])).ok
    folder = project_copy.build_dir / "en"
    page = BeautifulSoup((folder / "common-goals.html").read_text(encoding="utf-8"), "html.parser")
    src = page.find("img", alt="An external figure")["src"]
    assert (folder / src).read_bytes() == (project_copy.root / "source" / "figures" / "extra.png").read_bytes()
    with zipfile.ZipFile(folder / "common-goals.epub") as epub:
        assert any(n.endswith(".png") and epub.read(n) == (folder / src).read_bytes() for n in epub.namelist())
    images = subprocess.run(["pdfimages", "-list", str(folder / "common-goals.pdf")], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    assert any(" 40    20 " in " ".join(line.split()[3:5]).join("  ") or line.split()[3:5] == ["40", "20"]
               for line in images)
    from publish.validate import validate
    problems, _ = validate(project_copy)
    assert problems == [], "\n".join(map(str, problems))


def test_a_stated_qa_override_is_reported_by_every_build(project_copy, capsys):
    from .conftest import add_override
    target = project_copy.catalog_path("common-goals", "es")
    entry = catalog_entry(target, "introduction/p2")
    set_msgstr(target, "introduction/p2", entry.msgstr.replace("2024", "2025", 1))
    project = add_override(project_copy, reason="Confirmed with the authors.", check="numbers", language="es",
                           entry="introduction/p2")
    args = ["--project", str(project.path), "build", "--lang", "es", "--format", "html"]
    assert main(args) == 0
    err = capsys.readouterr().err
    line = next(n for n, l in enumerate(project.path.read_text().splitlines(), 1) if l == "[[qa-overrides]]")
    assert f"{project.path}:{line}: the QA override (check numbers, language es, entry introduction/p2: " \
           "Confirmed with the authors.) waives 2 QA errors:" in err
    assert main(args) == 0                                    # decided, and said, on every build
    assert "waives 2 QA errors" in capsys.readouterr().err
    # `publish check` (make check in CI) agrees with the build: the waived errors are warnings naming why.
    assert main(["--project", str(project.path), "check", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert f"warning numbers [introduction/p2]:" in out and f"(waived by publish.toml:{line}: Confirmed with the authors.)" in out
    set_msgstr(target, "introduction/p2", entry.msgstr)
    assert main(args) == 0
    assert "waives nothing in this build; remove it" in capsys.readouterr().err


@pytest.mark.parametrize("check,words", [("raw-html", "a trust-boundary check"), ("nosuch", "no such check")])
def test_no_override_reaches_the_trust_boundary(project_copy, capsys, check, words):
    from .conftest import add_override
    project = add_override(project_copy, check=check)
    assert main(["--project", str(project.path), "build", "--format", "html"]) == 1
    assert f"check '{check}' cannot be overridden ({words})" in capsys.readouterr().err


def catalog_entry(path, msgctxt):
    from publish import catalog
    return catalog.read(path).find(msgctxt, by="msgctxt")
