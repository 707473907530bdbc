"""Every check, in Spanish, Portuguese and Chinese: entries it must flag and correct ones it must not."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest

from publish import catalog
from publish.checks import ERROR, Context, REGISTRY, run
from publish.glossary import Glossary, Rendering, Term
from publish.project import load_project

from ..conftest import ROOT

PROJECT = load_project(ROOT / "publish.toml")       # (read only: nothing here builds or caches)
GLOSSARY = Glossary([
    Term("eclac", ("ECLAC",), {"es": Rendering("CEPAL", forbidden=("ECLAC",)), "pt": Rendering("CEPAL"),
                               "zh": Rendering("拉美经委会", ("拉丁美洲和加勒比经济委员会",))}),
    Term("right-to-development", ("right to development",),
         {"es": Rendering("derecho al desarrollo"), "pt": Rendering("direito ao desenvolvimento"),
          "zh": Rendering("发展权")}),
    Term("developing-countries", ("developing countries", "developing country"),
         {"es": Rendering("país en desarrollo"), "pt": Rendering("país em desenvolvimento"),
          "zh": Rendering("发展中国家")}),
    Term("bri", ("Belt and Road Initiative",),
         {"es": Rendering("Iniciativa de la Franja y la Ruta"), "pt": Rendering("Iniciativa Cinturão e Rota",
                                                                                forbidden=("Nova Rota da Seda",)),
          "zh": Rendering("“一带一路”倡议", forbidden=("一带一路倡议",))}),
    Term("sshrf", ("SSHRF",), dnt=True),
])

# (check, language, msgid, msgstr, flagged)
CASES = [
    # numbers: by value, in each locale's form
    ("numbers", "es", "USD 12,614 in 2023", "USD 12,614 en 2023", False),
    ("numbers", "es", "USD 12,614 in 2023", "USD 12.614 en 2023", True),
    ("numbers", "es", "17.8 trillion", "17.8 billones", False),
    ("numbers", "es", "USD 500 billion", "USD 500 mil millones", False),
    ("numbers", "es", "USD 500 billion", "USD 500 billones", True),
    ("numbers", "es", "about 1/5 of the land", "cerca de una quinta parte de la tierra", False),
    ("numbers", "es", "In July 2023, 70% of", "En julio de 2023, el 70% de", False),
    ("numbers", "es", "In July 2023, 70% of", "En junio de 2023, el 70% de", True),
    ("numbers", "pt", "USD 12,614", "US$ 12.614", False),
    ("numbers", "pt", "1.45°C", "1,45 °C", False),
    ("numbers", "pt", "1.45°C", "1.45 °C", True),
    ("numbers", "pt", "1.1 billion people", "1,1 bilhão de pessoas", False),
    ("numbers", "pt", "1.1 billion people", "1,1 mil milhões de pessoas", True),
    ("numbers", "pt", "the 21st century", "o século XXI", False),
    ("numbers", "zh", "770 million people", "7.7亿人", False),
    ("numbers", "zh", "770 million people", "7.7万人", True),
    ("numbers", "zh", "USD 500 billion", "5000亿美元", False),
    ("numbers", "zh", "In July 2023", "2023年7月", False),
    ("numbers", "zh", "In the 1970s and 1980s", "20世纪70年代和80年代", False),
    ("numbers", "zh", "about 1/3 of the population", "约三分之一的人口", False),
    ("numbers", "zh", "between 1850-1900", "1850—1900年间", False),
    ("numbers", "zh", "between 1850-1900", "1850—1950年间", True),
    # urls and e-mail addresses exactly
    ("urls", "es", "See https://example.org/a_b.", "Véase https://example.org/a_b.", False),
    ("urls", "pt", "See https://example.org/a_b.", "Veja https://example.org/a-b.", True),
    ("urls", "zh", "Write to info@example.org.", "请致函 info@example.org。", False),
    ("urls", "zh", "Write to info@example.org.", "请致函 info@example.com。", True),
    # citation keys and note references as the same multiset
    ("citations", "es", "As shown [@a; @b, p. 3].", "Como se muestra [@a; @b, p. 3].", False),
    ("citations", "es", "As shown [@a; @b, p. 3].", "Como se muestra [@a].", True),
    ("citations", "pt", "A note[^1] here.", "Uma nota aqui.", True),
    ("citations", "pt", "A note[^1] here.", "Uma nota[^1] aqui.", False),
    ("citations", "zh", "As shown [@a].", "如图所示[@a][@c]。", True),
    ("citations", "zh", "As shown [@a].", "如图所示[@a]。", False),
    # inline markup and links
    ("markup", "es", "A [link](https://x.org) and *emphasis*.", "Un [enlace](https://x.org) y *énfasis*.", False),
    ("markup", "es", "A [link](https://x.org) and *emphasis*.", "Un [enlace](https://evil.example) y *énfasis*.", True),
    ("markup", "pt", "Some **strong** text.", "Um texto forte.", True),
    ("markup", "zh", "Some `code` here.", "这里有`code`。", False),
    # raw HTML and scripts
    ("raw-html", "es", "Plain text.", "Texto <script>alert(1)</script>.", True),
    ("raw-html", "pt", "An image.", 'Uma <img src=x onerror="alert(1)">.', True),
    ("raw-html", "zh", "A [link](https://x.org).", "一个[链接](javascript:alert(1))。", True),
    ("raw-html", "zh", "A [link](https://x.org).", "一个[链接](https://x.org)。", False),
    ("raw-html", "es", "Skip to the text", "Saltar al texto<script/src=data:,x></script/>", True),
    ("raw-html", "es", "Rights.", "Derechos.</dc:rights><dc:title>Libro falso</dc:title>", True),
    ("raw-html", "pt", "Low < high.", "Baixo < alto.", False),
    # attributes a translator may not add (pandoc's {#id .class key=value} and raw formats)
    ("attributes", "es", "Our world changes.", '[Nuestro mundo]{style="background-image:url(//x)"} cambia.', True),
    ("attributes", "es", "Our world changes.", "[Nuestro mundo]{#introduction} cambia.", True),
    ("attributes", "pt", "A [word]{.smallcaps} here.", "Uma [palavra]{.smallcaps} aqui.", False),
    ("attributes", "zh", "Code `x` here.", "代码`x`{=html}在此。", True),
    # control and bidirectional-control characters, and the byte-order mark
    ("control-characters", "es", "Introduction", "Intro\x00ducción", True),
    ("control-characters", "pt", "Introduction", "Intro\x1bdução", True),
    ("control-characters", "zh", "Introduction", "引言\u202e", True),
    ("control-characters", "es", "Introduction", "\ufeffIntroducción", True),
    ("control-characters", "zh", "Introduction", "引言\t", False),
    # the placeholders of a UI string, kept and none added
    ("placeholders", "es", "Edition of {date}.", "Edición del {date}.", False),
    ("placeholders", "es", "Edition of {date}.", "Edición del %(date)s.", True),
    ("placeholders", "pt", "Figure {number}", "Figura {numero}", True),
    ("placeholders", "zh", "Figure {number}", "图 100%", True),
    # states
    ("untranslated", "es", "Text.", "", True),
    ("identical", "pt", "Important cooperation.", "Important cooperation.", True),
    ("identical", "pt", "SSHRF", "SSHRF", False),
    # typography
    ("typography-zh", "zh", "China, Brazil and Chile.", "中国、巴西和智利。", False),
    ("typography-zh", "zh", "China, Brazil and Chile.", "中国,巴西和智利.", True),
    ("typography-zh", "zh", "The \"declaration\".", "《宣言》。", False),
    ("typography-zh", "zh", "The \"declaration\".", "“宣言。", True),
    ("typography-es", "es", "Why?", "¿Por qué?", False),
    ("typography-es", "es", "Why?", "Por qué?", True),
    ("typography-spacing", "es", "Yes, of course.", "Sí , claro.", True),
    ("typography-spacing", "pt", "Yes, of course.", "Sim,  claro.", True),
    ("typography-spacing", "pt", "Yes, of course.", "Sim, claro.", False),
    # (a link with a title, or a broken link, is no doubled space; a trailing one is a stray space)
    ("typography-spacing", "es", 'See [the site](https://un.org "UN").', 'Véase [el sitio](https://un.org "ONU").', False),
    ("typography-spacing", "es", "See [the site](https://un.org.", "Véase [el sitio](https://un.org.", False),
    ("typography-spacing", "es", "Yes, of course.", "Sí, claro. ", True),
    ("typography-spacing", "zh", "Yes, of course.", "是的，当然。 ", True),
    # possible omissions
    ("omission", "es", "One sentence here. " * 6, "Una oración aquí.", True),
    ("omission", "es", "One sentence here. " * 6, "Una oración aquí. " * 6, False),
    ("omission", "zh", "One sentence here. " * 6, "这里有一句话。" * 6, False),
    # glossary: inflection-aware for es/pt, substring for zh, forbidden, do-not-translate
    ("glossary", "es", "The right to development of developing countries.",
     "Los derechos al desarrollo de los países en desarrollo.", False),
    ("glossary", "es", "The right to development.", "El derecho de desarrollarse.", True),
    ("glossary", "es", "ECLAC reports", "Informes de la CEPAL", False),
    ("glossary", "es", "ECLAC reports", "Informes de la CEPAL (ECLAC)", True),
    ("glossary", "pt", "The right to development.", "O direito ao desenvolvimento.", False),
    ("glossary", "pt", "Belt and Road Initiative", "Nova Rota da Seda (Iniciativa Cinturão e Rota)", True),
    ("glossary", "pt", "Belt and Road Initiative", "a Iniciativa Cinturão e Rota", False),
    ("glossary", "zh", "The right to development of developing countries.", "发展中国家的发展权。", False),
    ("glossary", "zh", "ECLAC data", "拉丁美洲和加勒比经济委员会的数据", False),
    ("glossary", "zh", "Belt and Road Initiative", "一带一路倡议", True),
    ("glossary", "zh", "The SSHRF met.", "南南人权论坛（SSHRF）举行会议。", False),
    ("glossary", "zh", "The SSHRF met.", "南南人权论坛举行会议。", True),
]


def context(language: str, entries: list[tuple[str, str]], path: Path) -> Context:
    po = polib.POFile(wrapwidth=79)
    tag = PROJECT.language(language).tag
    po.metadata = {"Language": catalog.gettext_language(tag), "Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": catalog.plural_forms(tag)}
    for n, (msgid, msgstr) in enumerate(entries):
        po.append(polib.POEntry(msgctxt=f"s/p{n + 1}", msgid=msgid, msgstr=msgstr))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(po), encoding="utf-8")      # (as polib writes it: GNU msgcat would cut a NUL short)
    return Context(PROJECT, PROJECT.language(language), path, catalog.read(path), GLOSSARY)


@pytest.mark.parametrize("check_id,language,msgid,msgstr,flagged", CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_check(tmp_path, check_id, language, msgid, msgstr, flagged):
    ctx = context(language, [(msgid, msgstr)], tmp_path / language / "doc.po")
    findings = run(ctx, only=[check_id])
    assert bool(findings) == flagged, findings
    for finding in findings:
        assert finding.file == str(ctx.path) and finding.line > 0 and finding.msgctxt == "s/p1"
        assert finding.severity == REGISTRY[check_id].severity


def test_every_check_has_cases():
    # (the file checks, and locators, which asks pandoc about a real project: test_locators.py)
    covered = {c[0] for c in CASES} | {"fuzzy", "consistency", "catalog-health", "spelling", "stale", "locators"}
    assert set(REGISTRY) <= covered


def test_fuzzy_and_release(tmp_path):
    ctx = context("es", [("Text.", "Texto.")], tmp_path / "es" / "doc.po")
    ctx.po[0].flags.append("fuzzy")
    assert [f.severity for f in run(ctx, only=["fuzzy"])] == ["warning"]
    ctx.release = True
    assert [f.severity for f in run(ctx, only=["fuzzy"])] == [ERROR]


def test_consistency(tmp_path):
    ctx = context("pt", [("Same.", "Igual."), ("Same.", "Mesmo."), ("Other.", "Igual.")], tmp_path / "pt" / "d.po")
    messages = [f.message for f in run(ctx, only=["consistency"])]
    assert any("translated differently" in m for m in messages)
    assert any("same translation as a different source" in m for m in messages)


def test_catalog_health(tmp_path):
    ctx = context("zh", [("Text.", "文本。")], tmp_path / "zh" / "doc.po")
    assert run(ctx, only=["catalog-health"]) == []
    ctx.po.metadata["Language"] = "zh_CN"
    ctx.po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    ctx.path.write_bytes(catalog.render(ctx.po))
    ctx.po = catalog.read(ctx.path)
    messages = [f.message for f in run(ctx, only=["catalog-health"])]
    assert any("Language is 'zh_CN', expected 'zh_Hans'" in m for m in messages)
    assert any("Plural-Forms" in m for m in messages)


def test_spelling_uses_the_word_list(tmp_path):
    ctx = context("es", [("Text.", "Un textto con Guterres.")], tmp_path / "es" / "doc.po")
    messages = [f.message for f in run(ctx, only=["spelling"])]
    assert len(messages) == 1 and "textto" in messages[0] and "Guterres" not in messages[0]
    ctx = context("pt", [("Text.", "Um textoo.")], tmp_path / "pt" / "doc.po")
    assert "textoo" in run(ctx, only=["spelling"])[0].message


def test_hunspell_answers_for_more_words_than_a_pipe_holds(tmp_path):
    letters = "abcdefghijklmnopqrstuvwxyz"
    unknown = ["palabrax" + letters[n // 676] + letters[n // 26 % 26] + letters[n % 26] for n in range(17_000)]
    ctx = context("es", [("Text.", " ".join(unknown[i:i + 100]) + " texto derechos")
                         for i in range(0, len(unknown), 100)], tmp_path / "es" / "doc.po")   # some 200 kB each way
    flagged = {w for f in run(ctx, only=["spelling"]) for w in f.message.partition(": ")[2].split(", ")}
    assert flagged == set(unknown)


def test_catalogs_of_one_language_share_one_hunspell_run(tmp_path, monkeypatch):
    """A document's catalog and the templates' are checked with one read of the dictionary, and each
    is told only of its own unknown words."""
    from publish.checks import spelling
    runs = []
    real = spelling.subprocess.run

    def counted(args, **options):
        runs.append(args)
        return real(args, **options)
    monkeypatch.setattr(spelling.subprocess, "run", counted)
    document = context("es", [("Text.", "Un textto.")], tmp_path / "es" / "doc.po")
    templates = context("es", [("Contents", "Contenidoz")], tmp_path / "es" / "templates.po")
    spelling.start_hunspell([document, templates])
    found = {name: [f.message for f in run(ctx, only=["spelling"])] for name, ctx in
             (("document", document), ("templates", templates))}
    asked = [args[:3] for args in runs if args[0] == "hunspell"]
    assert asked == [["hunspell", "-d", spelling.dictionary_for(document.language.tag)]]
    assert len(found["document"]) == 1 and "textto" in found["document"][0] and "Contenidoz" not in found["document"][0]
    assert len(found["templates"]) == 1 and "Contenidoz" in found["templates"][0] and "textto" not in found["templates"][0]


def test_a_fuzzy_entry_s_findings_are_warnings_for_the_translator(tmp_path):
    """Its msgstr is not published (the English is): a stale number in it does not stop the edition."""
    ctx = context("es", [("In 2023, 70% of", "En 2022, el 70% de")], tmp_path / "es" / "doc.po")
    assert {f.severity for f in run(ctx, only=["numbers"])} == {ERROR}          # 2023 missing, 2022 added
    ctx.po[0].flags.append("fuzzy")
    assert {f.severity for f in run(ctx, only=["numbers"])} == {"warning"}


def test_the_real_catalogs_have_no_errors(project_copy):
    from publish.checks import check_project
    errors = [f for f in check_project(project_copy) if f.severity == ERROR]
    assert errors == []


def test_findings_are_kept_under_their_inputs_and_reported_under_the_path_given(project_copy, tmp_path):
    from publish.cache import Cache
    from publish.checks import check_project
    cache = Cache(project_copy.build_dir / ".cache")
    es = project_copy.translations_dir / "es" / "common-goals.po"
    entries = polib.pofile(str(es))
    entry = next(e for e in entries if "2023" in e.msgstr)
    entry.msgstr = entry.msgstr.replace("2023", "2025")
    entries.save()
    first = check_project(project_copy, files=[es], cache=cache)
    assert any(f.check == "numbers" for f in first)
    twin = tmp_path / "elsewhere" / "es" / "weblate-download.po"        # the same bytes elsewhere
    twin.parent.mkdir(parents=True)
    twin.write_bytes(es.read_bytes())
    again = check_project(project_copy, files=[twin], cache=cache, lang="es")
    assert [(f.check, f.line, f.message) for f in again] == [(f.check, f.line, f.message) for f in first]
    assert {f.file for f in again} == {str(twin)}


def test_without_hunspell_the_warning_names_the_package(tmp_path, monkeypatch):
    from publish.checks import spelling
    import types
    monkeypatch.setattr(spelling, "shutil", types.SimpleNamespace(which=lambda name: None))   # (Hunspell only)
    ctx = context("pt", [("Text.", "Um texto.")], tmp_path / "pt" / "doc.po")
    messages = [f.message for f in run(ctx, only=["spelling"])]
    assert messages == ["no Hunspell dictionary for pt-BR: spelling not checked (apt-get install hunspell hunspell-pt-br)"]


def test_a_catalog_whose_header_and_folder_disagree_needs_its_language_given(project_copy, tmp_path, capsys):
    from publish.cli import main
    es = project_copy.translations_dir / "es" / "common-goals.po"
    stray = tmp_path / "download" / "pt" / "common-goals.po"           # a Spanish catalog in a pt/ folder
    stray.parent.mkdir(parents=True)
    stray.write_bytes(es.read_bytes())
    assert main(["--project", str(project_copy.path), "check", "--po", str(stray)]) == 2
    assert f"the catalog's Language header 'es-419' contradicts its folder pt/ ({stray})" in capsys.readouterr().err
    assert main(["--project", str(project_copy.path), "check", "--po", str(stray), "--lang", "es"]) == 0


def test_a_catalog_checked_against_another_document_is_a_usage_error(project_copy, capsys):
    from publish.cli import main
    es = project_copy.translations_dir / "es" / "common-goals.po"
    assert main(["--project", str(project_copy.path), "check", "--po", str(es), "--doc", "templates"]) == 2
    err = capsys.readouterr().err
    assert f"--doc templates: {es} translates none of its units but those of common-goals; give --doc " \
           "common-goals, or leave --doc out" in err and "update-po" not in err
    assert main(["--project", str(project_copy.path), "check", "--po", str(es), "--doc", "common-goals"]) == 0
