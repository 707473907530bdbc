"""The template domain: strings of the Jinja2 templates, their catalogs, and the Jinja2 environment.

A translated UI string is untrusted text. ``_()`` returns it as a plain string, which autoescape
escapes like any other value in HTML, XHTML, SVG and XML templates (plain-text templates, ``.txt.j2``,
are not escaped: nothing is escaped twice). Placeholders are named, ``{date}``, and filled by plain
replacement: a ``%`` or a brace a translator writes is a character, never a format directive.
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup
import polib
from babel import Locale
from babel.dates import format_date
from babel.messages.extract import extract_from_dir
from babel.numbers import format_decimal, format_percent

from . import catalog as catalogs
from .boundary import PLACEHOLDER, forbidden_characters, placeholders
from .errors import CatalogError, RenderError

DOMAIN = "templates"
EXTENSIONS = ["jinja2.ext.i18n"]      # for Babel's extractor, which reads _() calls through it
ENGLISH = Locale("en")
TEMPLATE_PATTERNS = [("**.j2", "jinja2"), ("**.html", "jinja2"), ("**.svg", "jinja2"), ("**.xml", "jinja2")]


class UIString(str):
    """A UI string as a template gets it: plain text, and whether it fell back to the English."""

    fallback: bool = False


class Translations:
    """The reviewed (non-fuzzy) entries of a templates.po, through Python's own gettext. An entry that
    crosses the trust boundary (a control character, a placeholder the English lacks or one missing) is
    left out: the English is shown instead, and QA reports it."""

    def __init__(self, po: polib.POFile | None = None, path: Path | None = None):
        self.locale: Locale | None = None          # the language of its strings (``environment`` sets it)
        self.gettext_catalog = gettext.NullTranslations()
        if po is not None:
            for entry in po:
                if entry.msgstr and (forbidden_characters(entry.msgstr)
                                     or placeholders(entry.msgstr) != placeholders(entry.msgid)):
                    entry.msgstr = ""
            try:
                self.gettext_catalog = gettext.GNUTranslations(io.BytesIO(po.to_binary()))
            except (ValueError, SyntaxError) as exc:     # a Plural-Forms expression gettext cannot read
                raise CatalogError(f"invalid Plural-Forms header ({exc}); `msginit` or Poedit give the right "
                                   "one for the language", path, catalogs.header_line(path, "Plural-Forms")) from None

    def gettext(self, message: str, **values) -> UIString:
        translated = self.gettext_catalog.gettext(message)
        return self._filled(translated, values, fallback=translated == message)

    def ngettext(self, singular: str, plural: str, n: int, **values) -> UIString:
        translated = self.gettext_catalog.ngettext(singular, plural, n)
        return self._filled(translated, {"n": n, **values}, fallback=translated in (singular, plural))

    def _filled(self, text: str, values: dict, fallback: bool) -> UIString:
        """``{name}`` replaced by its value, everything else left as written; a date reads in the language
        of the sentence around it (the English one when the string fell back to the English)."""
        locale = ENGLISH if fallback or self.locale is None else self.locale

        def shown(value) -> str:
            return format_date(value, format="long", locale=locale) if isinstance(value, date) else str(value)
        result = UIString(PLACEHOLDER.sub(lambda m: shown(values[m.group(1)]) if m.group(1) in values else m.group(0),
                                          text))
        result.fallback = fallback
        return result


def extract_template(templates_dir: Path, project_name: str, epoch: int | None = None) -> polib.POFile:
    """The template domain's .pot, extracted from every Jinja2 template with Babel's extractor."""
    found: dict[str, list[tuple[str, int]]] = {}
    comments: dict[str, list[str]] = {}
    options = {"extensions": ",".join(EXTENSIONS), "trimmed": "true"}
    for filename, lineno, message, notes, _ctx in extract_from_dir(
            str(templates_dir), method_map=TEMPLATE_PATTERNS, options_map={"**": options}):
        if isinstance(message, tuple):
            message = message[0]
        rel = f"templates/{filename}"
        found.setdefault(message, []).append((rel, lineno))
        comments.setdefault(message, []).extend(n for n in notes if n not in comments.get(message, []))
    pot = polib.POFile(wrapwidth=79)
    pot.header = ("Translation template for the strings of the shared templates (covers, navigation, figures).\n"
                  "Translators work in translations/<language>/templates.po. Keep each {placeholder} as it is.")
    pot.metadata = catalogs.header(project_name, None, epoch)
    for message in sorted(found):
        hints = list(comments[message])
        if placeholders(message):
            hints.append("Keep " + ", ".join(f"{{{p}}}" for p in sorted(placeholders(message)))
                         + " unchanged: the program puts a value there.")
        pot.append(polib.POEntry(msgid=message, msgstr="", occurrences=[(p, str(l)) for p, l in sorted(found[message])],
                                 comment="\n".join(hints)))
    return pot


def load_translations(path: Path) -> Translations:
    if not path.exists():
        return Translations()
    return Translations(catalogs.read(path), path)


def _autoescape(name: str | None) -> bool:
    """Every template is escaped for markup except plain-text ones."""
    return not (name or "").endswith(".txt.j2")


def environment(templates_dir: Path, tag: str, translations: Translations) -> jinja2.Environment:
    """A Jinja2 environment for one language: gettext as plain text, Babel's formatting as filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    locale = Locale.parse(tag, sep="-")
    translations.locale = locale
    env.globals["_"] = env.globals["gettext"] = translations.gettext
    env.globals["ngettext"] = translations.ngettext
    env.filters["number"] = lambda value, fmt=None: format_decimal(value, format=fmt, locale=locale)
    env.filters["percent"] = lambda value, fmt=None: format_percent(value, format=fmt, locale=locale)
    env.filters["date"] = lambda value, fmt="long": format_date(value, format=fmt, locale=locale)
    env.filters["ui"] = lambda text: _marked(text, locale)
    env.globals["language_name"] = lambda other: Locale.parse(other, sep="-").get_display_name(
        Locale.parse(other, sep="-"))
    return env


def percent(value: float, tag: str) -> str:
    return format_percent(value, locale=Locale.parse(tag, sep="-"))


def _marked(text: str, locale: Locale):
    """A UI string that fell back to the English, in a page of another language, marked as English
    (for screen readers and hyphenation); the text itself is escaped, never trusted."""
    if getattr(text, "fallback", False) and locale.language != "en":
        return Markup('<span lang="en">{}</span>').format(text)
    return text


def render(env: jinja2.Environment, name: str, **context) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name!r} not found", Path(env.loader.searchpath[0]) / str(exc.name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template syntax error: {exc.message}", exc.filename, exc.lineno) from None
