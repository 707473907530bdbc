"""The template domain: strings of the Jinja2 templates, their catalogs, and the Jinja2 environment."""

from __future__ import annotations

import gettext
import os
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import polib
from babel import Locale
from babel.dates import format_date
from babel.messages.extract import extract_from_dir
from babel.numbers import format_decimal, format_percent

from . import catalog as catalogs
from .errors import RenderError

DOMAIN = "templates"
EXTENSIONS = ["jinja2.ext.i18n"]
TEMPLATE_PATTERNS = [("**.j2", "jinja2"), ("**.html", "jinja2"), ("**.svg", "jinja2"), ("**.xml", "jinja2")]


class Translations:
    """gettext callables over the reviewed (non-fuzzy) entries of a polib catalog."""

    def __init__(self, po: polib.POFile | None = None):
        self.messages: dict[str, str] = {}
        self.plurals: dict[str, list[str]] = {}
        # The catalog's own Plural-Forms rule picks the form, as GNU gettext does.
        expression = (po.metadata.get("Plural-Forms", "") if po else "").partition("plural=")[2].rstrip("; ")
        self.form = gettext.c2py(expression) if expression else (lambda n: int(n != 1))
        for entry in po or ():
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            if entry.msgid_plural and all(entry.msgstr_plural.values()):
                self.plurals[entry.msgid] = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            elif entry.msgstr:
                self.messages[entry.msgid] = entry.msgstr

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if not forms:
            return singular if n == 1 else plural
        return forms[min(self.form(n), len(forms) - 1)]


def extract_template(templates_dir: Path, project_name: str) -> polib.POFile:
    """The template domain's .pot, extracted from every Jinja2 template with Babel's extractor."""
    found: dict[str, list[tuple[str, int]]] = {}
    comments: dict[str, list[str]] = {}
    options = {"extensions": ",".join(EXTENSIONS), "trimmed": "true"}
    method_map = TEMPLATE_PATTERNS
    for filename, lineno, message, notes, _ctx in extract_from_dir(
            str(templates_dir), method_map=method_map, options_map={"**": options}):
        if isinstance(message, tuple):
            message = message[0]
        rel = f"templates/{filename}"
        found.setdefault(message, []).append((rel, lineno))
        comments.setdefault(message, []).extend(n for n in notes if n not in comments.get(message, []))
    pot = polib.POFile(wrapwidth=catalogs.WRAP)
    pot.header = "Translation template for the strings of the shared templates (covers, navigation, figures)."
    pot.metadata = catalogs._header(project_name, None)
    for message in sorted(found):
        pot.append(polib.POEntry(msgid=message, msgstr="", occurrences=[(p, str(l)) for p, l in sorted(found[message])],
                                 comment="\n".join(comments[message])))
    return pot


def load_translations(path: Path) -> Translations:
    if not path.exists():
        return Translations()
    return Translations(catalogs.read(path))


def source_date() -> datetime:
    """The build's date: SOURCE_DATE_EPOCH when set, so that rebuilds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Each template compiled once per process, whatever the language's environment.

    Every environment below has the same settings, so the compiled code of a template is the same in
    all of them; Jinja2 checks each template's source checksum before it reuses the code."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(templates_dir: Path, tag: str, translations: Translations) -> jinja2.Environment:
    """A Jinja2 environment for one language: gettext installed, Babel's formatting as filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xhtml", "xml", "svg", "j2"]),
        extensions=EXTENSIONS,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)
    locale = Locale.parse(tag, sep="-")
    env.filters["number"] = lambda value, fmt=None: format_decimal(value, format=fmt, locale=locale)
    env.filters["percent"] = lambda value, fmt=None: format_percent(value, format=fmt, locale=locale)
    env.filters["date"] = lambda value, fmt="long": format_date(value, format=fmt, locale=locale)
    env.globals["language_name"] = lambda other: Locale.parse(other, sep="-").get_display_name(
        Locale.parse(other, sep="-"))
    return env


def render(env: jinja2.Environment, name: str, **context) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name!r} not found", Path(env.loader.searchpath[0]) / str(exc.name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template syntax error: {exc.message}", exc.filename, exc.lineno) from None
