"""Shared fixtures: copies of the real project in temporary folders (never the repository's build/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from publish.build import BuildOptions, build
from publish.project import load_project

# The property tests run the same examples on every run (a seed from each test's own code): a run never
# turns red or green by chance. New examples each run: pytest --hypothesis-profile=explore
settings.register_profile("publish", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("publish")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
PROJECT_PARTS = ("publish.toml", "source", "templates", "translations")


def copy_project(target: Path) -> Path:
    """A copy of the repository's project (sources, templates, catalogs), without build/."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        elif src.exists():
            shutil.copy2(src, target / part)
    return target


def built_paths(result, project) -> list[str]:
    """The artifacts a build made, relative to build/, sorted."""
    return sorted(p.relative_to(project.build_dir).as_posix() for p, _ in result.built)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The whole project built once: every language, every format."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    project = load_project(root / "publish.toml")
    result = build(project, BuildOptions())
    assert not result.errors, [str(e) for e in result.errors]
    assert all(v.published for v in result.verdicts.values()), result.verdicts
    return project


@pytest.fixture
def project_copy(tmp_path):
    root = copy_project(tmp_path / "project")
    return load_project(root / "publish.toml")


@pytest.fixture
def project_root(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


# The editions' BCP 47 tags, from the project file.
TAGS = {lang.code: lang.tag for lang in load_project(ROOT / "publish.toml").languages}


def pytest_collection_modifyitems(items):
    """A test that uses the whole built project is slow (the build takes a minute on two cores)."""
    for item in items:
        if "built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def set_msgstr(path: Path, msgctxt: str, msgstr: str, fuzzy: bool | None = None) -> None:
    """Save one entry's translation, as a translator's editor would."""
    from publish import catalog
    po = catalog.read(path)
    entry = po.find(msgctxt, by="msgctxt")
    entry.msgstr = msgstr
    if fuzzy is True and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    elif fuzzy is False and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    path.write_bytes(catalog.render(po))


@pytest.fixture(scope="session", autouse=True)
def _the_repository_s_build_folder_is_left_alone():
    """Tests are hermetic: they build in temporary copies, never in the repository's own build/."""
    def state():
        folder = ROOT / "build"
        return sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*")) \
            if folder.exists() else None
    before = state()
    yield
    assert state() == before, "a test wrote into the repository's build/"


def add_override(project, reason: str = "The editors accept these errors for this edition.", **fields):
    """A [[qa-overrides]] table appended to the project file; the project read again."""
    lines = ["", "[[qa-overrides]]", *(f'{key} = "{value}"' for key, value in fields.items()), f'reason = "{reason}"', ""]
    project.path.write_text(project.path.read_text(encoding="utf-8") + "\n".join(lines), encoding="utf-8")
    return load_project(project.path)
