"""`publish validate`: the real validators over the built editions."""

from __future__ import annotations

import pytest

from publish.project import load_project
from publish.validate import validate

from .conftest import copy_project


def test_validate_finds_nothing_wrong(built):
    """`make validate`: epubcheck, vnu and the PDF checks over all twelve artifacts."""
    problems, checked = validate(built)
    assert problems == [], "\n".join(map(str, problems))
    assert len([p for p in checked if p.suffix in (".pdf", ".epub")]) == 8


@pytest.mark.slow
def test_validate_catches_a_broken_epub(tmp_path):
    project = load_project(copy_project(tmp_path / "p") / "publish.toml")
    target = project.build_dir / "en"
    target.mkdir(parents=True)
    (target / "common-goals.epub").write_bytes(b"PK\x03\x04 not an epub")
    problems = [str(p) for p in validate(project)[0]]
    assert any("common-goals.epub" in p and "epubcheck" in p for p in problems)


@pytest.mark.slow
def test_the_validators_own_positions_are_passed_through(tmp_path):
    project = load_project(copy_project(tmp_path / "p") / "publish.toml")
    page = project.build_dir / "en" / "common-goals.html"
    page.parent.mkdir(parents=True)
    page.write_text('<!DOCTYPE html>\n<html lang="en">\n<head><title>t</title></head>\n<body>\n'
                    "<center>x</center>\n</body>\n</html>\n", encoding="utf-8")
    problems = [str(p) for p in validate(project)[0]]
    assert any(p.startswith(f"{page}:5:") and "vnu error" in p and "center" in p for p in problems), problems


@pytest.mark.slow
def test_the_accessibility_checkers_report_what_they_find(tmp_path):
    """axe-core on a page, Ace on an EPUB: each reports an image without a text alternative."""
    import io
    import re
    import zipfile
    from publish.build import BuildOptions, build
    project = load_project(copy_project(tmp_path / "p") / "publish.toml")
    build(project, BuildOptions(languages=["en"], formats=["html", "epub"]))
    page = project.build_dir / "en" / "common-goals.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<main id=\"main\">",
                                                             '<main id="main"><img src="figures/fig-trade.svg">'),
                    encoding="utf-8")
    epub = project.build_dir / "en" / "common-goals.epub"
    source, out = zipfile.ZipFile(io.BytesIO(epub.read_bytes())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if re.search(r"ch001\.xhtml$", info.filename):
                data = re.sub(rb"(<body[^>]*>)", rb'\1<img src="../media/file0.svg"/>', data, count=1)
            target.writestr(info, data, compress_type=info.compress_type)
    epub.write_bytes(out.getvalue())
    problems = [str(p) for p in validate(project)[0]]
    assert any(p.startswith(f"{page}:") and "axe critical image-alt at 1280 px" in p for p in problems), problems
    assert any(p.startswith(f"{epub}:") and "ace" in p and "image-alt" in p for p in problems), problems
