"""UI strings: plain text escaped by construction, named placeholders filled by plain replacement."""

from __future__ import annotations

import polib
import pytest

from publish import i18n

from .conftest import ROOT


def translations(pairs: dict[str, str], plural_forms: str = "nplurals=2; plural=(n != 1);") -> i18n.Translations:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": plural_forms}
    for msgid, msgstr in pairs.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return i18n.Translations(po)


def render(template: str, name: str, pairs: dict[str, str], **context) -> str:
    import jinja2
    env = i18n.environment(ROOT / "templates", "es-419", translations(pairs))
    env.loader = jinja2.DictLoader({name: template})
    return env.get_template(name).render(**context)


@pytest.mark.parametrize("name", ["page.html.j2", "chart.svg.j2", "metadata.xml.j2"])
def test_a_translated_string_is_escaped_in_markup(name):
    out = render('<p>{{ _("Skip to the text") }}</p>', name,
                 {"Skip to the text": "Saltar<script/src=data:,x></script/> & </dc:rights><dc:title>x"})
    assert out == ("<p>Saltar&lt;script/src=data:,x&gt;&lt;/script/&gt; &amp; "
                   "&lt;/dc:rights&gt;&lt;dc:title&gt;x</p>")


def test_a_plain_text_template_is_not_escaped_twice():
    assert render('{{ _("Figure {number}", number=3) }}', "label.txt.j2", {"Figure {number}": "Gráfico {number} & <x>"}) \
        == "Gráfico 3 & <x>"


@pytest.mark.parametrize("msgstr,shown", [
    ("Índice %(fecha)s", "Índice %(fecha)s"),          # a % is a character, not a format directive
    ("Índice (100%)", "Índice (100%)"),
    ("{{ 7*7 }} {% for x in () %}", "{{ 7*7 }} {% for x in () %}"),    # no template syntax is evaluated
    ("Índice {date}", "Contents"),                      # a placeholder the English lacks: the English
    ("Índ\x1bice", "Contents"),                         # a control character: the English
])
def test_a_translator_s_percent_brace_or_template_syntax_is_text(msgstr, shown):
    assert render('{{ _("Contents") }}', "page.txt.j2", {"Contents": msgstr}) == shown


def test_placeholders_are_filled_by_plain_replacement():
    out = render('{{ _("Edition of {date}.", date="1 de septiembre de 2024") }}', "page.html.j2",
                 {"Edition of {date}.": "Edición del {date} ({otro}) 100%."})
    assert out == "Edition of 1 de septiembre de 2024."       # {otro} is no placeholder of it: the English
    out = render('{{ _("Edition of {date}.", date="<b>") }}', "page.html.j2", {"Edition of {date}.": "Edición del {date}."})
    assert out == "Edición del &lt;b&gt;."


def test_a_fallback_is_known_as_one():
    t = translations({"Contents": "Índice"})
    assert t.gettext("Contents").fallback is False and t.gettext("Abstract").fallback is True


def test_a_broken_plural_forms_header_is_a_catalog_error_with_its_line(tmp_path):
    from publish.errors import CatalogError
    path = tmp_path / "templates.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=2; plural=n ==;\\n"\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        i18n.load_translations(path)
    assert str(caught.value).startswith(f"{path}:4: invalid Plural-Forms header")


def test_a_date_reads_in_the_language_of_its_sentence():
    """In a Spanish page, a translated sentence gives the date in Spanish; one that fell back to the
    English (shown as English) gives it in English, not half in each."""
    from datetime import date
    template = '{{ _("Edition of {date}.", date=day)|ui }}'
    day = date(2024, 9, 1)
    assert render(template, "page.html.j2", {"Edition of {date}.": "Edición del {date}."}, day=day) \
        == "Edición del 1 de septiembre de 2024."
    assert render(template, "page.html.j2", {}, day=day) == '<span lang="en">Edition of September 1, 2024.</span>'
