"""Shared fixtures: a copy of the real project, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publish.build import BuildOptions, build
from publish.project import load_project

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


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The whole project built once: every language, every format."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    project = load_project(root / "publish.toml")
    result = build(project, BuildOptions())
    assert result.ok, [str(e) for e in result.errors]
    return project


@pytest.fixture
def project_copy(tmp_path):
    root = copy_project(tmp_path / "project")
    return load_project(root / "publish.toml")
