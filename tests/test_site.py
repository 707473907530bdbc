"""Validation, distribution, serving and reproducibility of the built editions."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile

from publish.build import BuildOptions, build
from publish.project import load_project
from publish.site import dist
from publish.validate import validate

from .conftest import copy_project


def test_validate_finds_nothing_wrong(built):
    """`make validate`: epubcheck, vnu and the PDF checks over all twelve artifacts."""
    problems = validate(built)
    assert problems == [], "\n".join(map(str, problems))


def test_validate_catches_a_broken_epub(built, tmp_path):
    project = load_project(copy_project(tmp_path / "p") / "publish.toml")
    target = project.build_dir / "en"
    target.mkdir(parents=True)
    (target / "common-goals.epub").write_bytes(b"PK\x03\x04 not an epub")
    problems = [str(p) for p in validate(project)]
    assert any("common-goals.epub" in p and "epubcheck" in p for p in problems)


def test_dist_archive(built):
    archive = dist(built)
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        for lang in ("en", "es", "pt", "zh"):
            assert f"common-goals-{lang}.pdf" in names and f"common-goals-{lang}.epub" in names
            assert f"site/{lang}/common-goals.html" in names
        assert "site/index.html" in names
        for line in zf.read("SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest


def test_two_clean_builds_are_byte_identical(tmp_path):
    outputs = []
    for run in ("a", "b"):
        project = load_project(copy_project(tmp_path / run) / "publish.toml")
        os.environ["SOURCE_DATE_EPOCH"] = "1732752000"
        try:
            assert build(project, BuildOptions(languages=["en", "zh"])).ok
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]
        outputs.append({p.relative_to(project.build_dir): p.read_bytes()
                        for p in project.build_dir.glob("*/common-goals.*")})
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) == 6
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_serve_rebuilds_on_save(tmp_path):
    root = copy_project(tmp_path / "p")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "publish", "--project", str(root / "publish.toml"), "serve",
                               "--port", str(port)], cwd=root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)   # (a pipe nobody reads could fill up and stall it)
    try:
        url = f"http://127.0.0.1:{port}/en/common-goals.html"
        page = _fetch(url, deadline=240)
        assert "Common Goals" in page
        css = root / "templates" / "css" / "screen.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* rebuilt-marker */\n", encoding="utf-8")
        deadline = time.monotonic() + 240
        while "rebuilt-marker" not in _fetch(url, deadline=60):
            assert time.monotonic() < deadline, "no rebuild after a template was saved"
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetch(url: str, deadline: float) -> str:
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(1)


def test_a_stylesheet_change_rebuilds_only_what_it_affects(tmp_path):
    project = load_project(copy_project(tmp_path / "p") / "publish.toml")
    options = BuildOptions(languages=["en", "es"])
    assert build(project, options).ok
    again = build(project, options)
    assert again.built == [] and len(again.up_to_date) == 6
    css = project.templates_dir / "css" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a print-only change */\n", encoding="utf-8")
    rebuilt = sorted(p.relative_to(project.build_dir).as_posix() for p, _ in build(project, options).built)
    assert rebuilt == ["en/common-goals.pdf", "es/common-goals.pdf"]
    po = project.catalog_path("common-goals", "es")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Objetivos comunes"', 'msgstr "Objetivos  comunes"', 1), encoding="utf-8")
    rebuilt = sorted(p.relative_to(project.build_dir).as_posix() for p, _ in
                     build(project, BuildOptions(languages=["en", "es"], ignore_qa=True)).built)
    assert rebuilt == ["es/common-goals.epub", "es/common-goals.html", "es/common-goals.pdf"]


def test_the_english_edition_is_prepared_while_the_catalogs_merge(tmp_path, monkeypatch):
    """The source language's editions need no catalog: their preparation does not wait for the merge."""
    from publish import edition, update
    project = load_project(copy_project(tmp_path / "p") / "publish.toml")
    english_prepared = threading.Event()
    real_prepare, real_update = edition.prepare, update.update_catalogs

    def prepare(project, document, language, *args, **kwargs):
        prepared = real_prepare(project, document, language, *args, **kwargs)
        if language.code == "en":
            english_prepared.set()
        return prepared

    def update_catalogs(*args, **kwargs):
        assert english_prepared.wait(30), "the English edition waited for the catalogs"
        return real_update(*args, **kwargs)

    monkeypatch.setattr(edition, "prepare", prepare)
    monkeypatch.setattr(update, "update_catalogs", update_catalogs)
    result = build(project, BuildOptions(languages=["en", "es"], formats=["html"]))
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(p.relative_to(project.build_dir).as_posix() for p, _ in result.built) == [
        "en/common-goals.html", "es/common-goals.html"]
