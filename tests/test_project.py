"""The project file: the real one validates; broken ones are reported with file and line."""

from __future__ import annotations

import shutil

import pytest

from publish.cli import main
from publish.errors import ConfigError
from publish.project import load_project

from .conftest import DATA, ROOT

# file name -> (line reported, words the message must contain)
BAD = {
    "syntax.toml": (6, "invalid TOML"),
    "unknown-format.toml": (3, "formats must be a list"),
    "missing-source.toml": (6, "no such file"),
    "bad-tag.toml": (14, "not a BCP 47 tag"),
    "outside.toml": (6, "outside the project"),
    "no-source-language.toml": (2, "not one of the [[languages]]"),
}


def test_the_project_file_validates():
    project = load_project(ROOT / "publish.toml")
    assert [d.id for d in project.documents] == ["common-goals"]
    assert [(l.code, l.tag) for l in project.languages] == [("en", "en"), ("es", "es-419"), ("pt", "pt-BR"),
                                                            ("zh", "zh-Hans")]
    assert project.formats == ["html", "epub", "pdf"]
    # Display names come from Babel's locale data, in the language itself.
    assert project.language("zh").name == "中文 (简体)"
    assert project.language("es").name.startswith("español")


@pytest.mark.parametrize("name", sorted(BAD))
def test_broken_project_files_name_file_and_line(tmp_path, name):
    shutil.copytree(ROOT / "source", tmp_path / "source")
    path = tmp_path / "publish.toml"
    shutil.copy(DATA / "bad-projects" / name, path)
    line, words = BAD[name]
    with pytest.raises(ConfigError) as caught:
        load_project(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message


def test_cli_reports_a_broken_project_and_exits_1(tmp_path, capsys):
    path = tmp_path / "publish.toml"
    shutil.copy(DATA / "bad-projects" / "syntax.toml", path)
    assert main(["--project", str(path), "stats"]) == 1
    assert f"{path}:6: invalid TOML" in capsys.readouterr().err


def test_several_problems_are_reported_together(tmp_path):
    path = tmp_path / "publish.toml"
    path.write_text('[project]\nformats = "pdf"\n\n[[documents]]\nid = "BAD ID"\nsource = "nowhere.md"\n\n'
                    '[[languages]]\ncode = "en"\ntag = "en"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert all(l.startswith(f"{path}:") for l in lines)


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert caught.value.code == 2
