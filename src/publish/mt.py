"""Machine-translation pre-fill: untranslated entries only, protected markup, results marked fuzzy.

Engines come from deep-translator. Citations, note references, URLs, numbers and inline markup are
replaced by numbered placeholders before a text is sent and put back afterwards; a result whose
placeholders do not all come back intact is rejected and the entry stays untranslated. Progress is
saved after every batch, each time only if the catalog is still as it was read, so an interrupted or
failing run keeps what it got and a translator's save made meanwhile is never overwritten.

Keys travel to the engines in URLs and headers: every message this module makes, from an exception or
not, is passed through ``redact``, which removes the keys and every URL's query (the text sent).
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import polib

from . import catalog as catalogs
from .errors import PublishError, UsageError
from .fsutil import locked
from .project import Project

log = logging.getLogger(__name__)

MT_COMMENT = "Machine translation"
RETRIES = 3
BACKOFF = 0.5   # seconds, doubled at each retry

# Protected spans, most specific first: a citation in brackets, a note reference, a link or image
# target, a URL, an e-mail address, emphasis markers, a number.
PROTECTED = re.compile(r"""
    \[[^\[\]]*@[^\[\]]*\]            # [@key], [prefix, see @key, p. 3]
  | \[\^\d+\]                        # [^1]
  | \]\([^)]*\)                      # ](target "title")
  | <?https?://[^\s)>\]]+>?          # URLs
  | [\w.+-]+@[\w-]+\.[\w.-]+         # e-mail addresses
  | \*\*|\*|__|~~|\^|~|`[^`]*`       # inline markup and code
  | \\\{[^{}]*\\\}                   # {date}, {lang=en}: a placeholder or attributes, braces escaped
  | \\.                              # backslash escapes
  | \d[\d,.\u00a0]*%?                # numbers, percentages
""", re.VERBOSE)
PLACEHOLDER = "{{{}}}"


class MTError(PublishError):
    """The engine cannot be reached or refuses the request."""


@dataclass
class MTResult:
    path: Path
    filled: int = 0
    rejected: list[str] = field(default_factory=list)
    left: int = 0
    error: str | None = None


# -- secrets ------------------------------------------------------------------------------------------

QUERY = re.compile(r"\?[\w.%-]+=[^\s'\"<>)]*")          # ?q=...&api_key=...: what was sent
KEYED = re.compile(r"((?:api[_-]?key|auth[_-]?key|key|token|subscription-key)[=:]\s*)[^\s&'\",;)]+", re.IGNORECASE)


def redact(text: str) -> str:
    """The text without any key from the environment, key-like parameters, or URL queries."""
    for variable in {engine.key_variable for engine in ENGINES.values() if engine.key_variable}:
        secret = os.environ.get(variable)
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    text = QUERY.sub("?[query redacted]", text)
    return KEYED.sub(r"\1[redacted]", text)


# -- engines ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Engine:
    name: str
    key_variable: str | None
    make: Callable[[str, str, str | None], object]      # (source code, target code, endpoint) -> translator
    languages: Callable[[str | None], list[str]]        # the codes the engine offers


ENGINES: dict[str, Engine] = {}


def engine(name: str, key_variable: str | None = None, languages: Callable[[str | None], list[str]] | None = None):
    def register(factory):
        ENGINES[name] = Engine(name, key_variable, factory, languages or _static(name))
        return factory
    return register


def _static(name: str) -> Callable[[str | None], list[str]]:
    """deep-translator's own list of an engine's languages."""
    def codes(endpoint: str | None) -> list[str]:
        from deep_translator import constants
        table = {"libre": "LIBRE_LANGUAGES_TO_CODES", "google": "GOOGLE_LANGUAGES_TO_CODES",
                 "deepl": "DEEPL_LANGUAGE_TO_CODE", "mymemory": "MY_MEMORY_LANGUAGES_TO_CODES"}[name]
        return sorted(set(getattr(constants, table).values()))
    return codes


def _with_endpoint(translator, endpoint: str | None):
    if endpoint:
        translator._base_url = endpoint if endpoint.endswith("/") else endpoint + "/"
    return translator


def _libre_languages(endpoint: str | None) -> list[str]:
    """The server's own list (GET /languages), else deep-translator's."""
    import requests
    url = (endpoint or "https://libretranslate.com/").rstrip("/") + "/languages"
    try:
        answer = requests.get(url, timeout=10).json()
        return sorted({item["code"] for item in answer})
    except (requests.RequestException, ValueError, TypeError, KeyError):
        return _static("libre")(endpoint)


@engine("libre", "LIBRE_API_KEY", languages=_libre_languages)
def _libre(source: str, target: str, endpoint: str | None):
    from deep_translator import LibreTranslator

    class Translator(LibreTranslator):
        def _map_language_to_code(self, *languages):
            # The codes were matched against the server's own list, which may offer more than
            # deep-translator's (a private server with more models).
            yield from languages
    url = endpoint or "https://libretranslate.com/"
    # deep-translator joins "translate" to the URL as it is, and wants a key even for a private server.
    return Translator(source=source, target=target, api_key=os.environ.get("LIBRE_API_KEY", "none"),
                      custom_url=url if url.endswith("/") else url + "/")


@engine("google")
def _google(source: str, target: str, endpoint: str | None):
    from deep_translator import GoogleTranslator
    return _with_endpoint(GoogleTranslator(source=source, target=target), endpoint)


@engine("deepl", "DEEPL_API_KEY")
def _deepl(source: str, target: str, endpoint: str | None):
    from deep_translator import DeeplTranslator
    return _with_endpoint(DeeplTranslator(source=source, target=target, api_key=_key("DEEPL_API_KEY"),
                                          use_free_api=os.environ.get("DEEPL_FREE_API", "1") == "1"), endpoint)


def _microsoft_languages(endpoint: str | None) -> list[str]:
    import requests
    from deep_translator.constants import BASE_URLS
    base = (endpoint or BASE_URLS["MICROSOFT_TRANSLATE"]).split("/translate")[0].rstrip("/")
    try:
        answer = requests.get(f"{base}/languages", params={"api-version": "3.0", "scope": "translation"}, timeout=10)
        answer.raise_for_status()
        return sorted(answer.json()["translation"])
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        raise MTError(f"cannot ask the engine for its languages: {redact(_describe(exc))}") from None


@engine("microsoft", "MICROSOFT_API_KEY", languages=_microsoft_languages)
def _microsoft(source: str, target: str, endpoint: str | None):
    from deep_translator import MicrosoftTranslator
    codes = {code: code for code in _microsoft_languages(endpoint)}

    class Translator(MicrosoftTranslator):
        def _get_supported_languages(self):        # (deep-translator asks the public API; we asked already)
            return codes
    return _with_endpoint(Translator(source=source, target=target, api_key=_key("MICROSOFT_API_KEY"),
                                     region=os.environ.get("MICROSOFT_REGION")), endpoint)


@engine("mymemory")
def _mymemory(source: str, target: str, endpoint: str | None):
    from deep_translator import MyMemoryTranslator
    return _with_endpoint(MyMemoryTranslator(source=source, target=target), endpoint)


def _key(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise MTError(f"the engine needs an API key in the environment variable {variable}")
    return value


# Scripts and the regions that write them, both ways: an engine may know zh-Hans as zh-CN.
SCRIPT_REGIONS = {"zh-hans": ["zh-cn", "zh-sg"], "zh-hant": ["zh-tw", "zh-hk"]}


def engine_code(tag: str, offered: list[str], engine_name: str = "the engine") -> str:
    """The code an engine offers for a BCP 47 tag: the tag itself, its script's region (or the region's
    script), then its primary language; an error naming the nearest codes when none is offered."""
    by_lower = {code.lower().replace("_", "-"): code for code in offered}
    wanted = tag.lower()
    primary = wanted.split("-")[0]
    candidates = [wanted, *SCRIPT_REGIONS.get(wanted, []),
                  *(script for script, regions in SCRIPT_REGIONS.items() if wanted in regions), primary,
                  *_likely(primary)]
    for candidate in candidates:
        if candidate in by_lower:
            return by_lower[candidate]
    near = [code for key, code in by_lower.items() if key.split("-")[0] == primary] or \
        [by_lower[k] for k in difflib.get_close_matches(wanted, list(by_lower), n=3, cutoff=0.3)]
    hint = f"; the nearest it offers: {', '.join(sorted(near))}" if near else ""
    raise UsageError(f"engine {engine_name!r} does not offer {tag}{hint}")


def _likely(language: str) -> list[str]:
    """The language with the region and script CLDR finds likely for it (en -> en-us, en-latn)."""
    from babel.core import get_global
    parts = str(get_global("likely_subtags").get(language, "")).lower().split("_")
    return [f"{language}-{part}" for part in parts[1:]][::-1]


# -- protection -----------------------------------------------------------------------------------------

def protect(text: str) -> tuple[str, list[str]]:
    """Replace every protected span by ``{n}``; return the text and the spans in order."""
    spans: list[str] = []

    def keep(match: re.Match) -> str:
        spans.append(match.group(0))
        return PLACEHOLDER.format(len(spans) - 1)
    return PROTECTED.sub(keep, text.replace("{", "\\{").replace("}", "\\}")), spans


def restore(text: str, spans: list[str]) -> str | None:
    """Put the protected spans back; None unless every placeholder comes back exactly once."""
    found = re.findall(r"\{(\d+)\}", text)
    if sorted(int(n) for n in found) != list(range(len(spans))):
        return None
    restored = re.sub(r"\{(\d+)\}", lambda m: spans[int(m.group(1))], text)
    return restored.replace("\\{", "{").replace("\\}", "}")


# -- the run ------------------------------------------------------------------------------------------

def prefill(project: Project, lang: str, engine_name: str, endpoint: str | None = None, doc: str | None = None,
            batch: int = 20, timeout: float = 20.0) -> list[MTResult]:
    if engine_name not in ENGINES:
        raise UsageError(f"unknown engine {engine_name!r}; known: {', '.join(sorted(ENGINES))}")
    language = project.language(lang)
    if language.code == project.source_language:
        raise UsageError(f"{lang} is the source language")
    chosen = ENGINES[engine_name]
    try:
        offered = chosen.languages(endpoint)
        translator = chosen.make(engine_code(project.source.tag, offered, engine_name),
                                 engine_code(language.tag, offered, engine_name), endpoint)
    except PublishError:
        raise
    except Exception as exc:           # deep-translator's own refusals, with whatever they say
        raise MTError(f"the engine cannot be set up: {redact(_describe(exc))}") from None
    paths = [project.catalog_path(d, language) for d in ([project.document(doc)] if doc else project.documents)]
    templates = project.translations_dir / language.code / "templates.po"
    if doc is None and templates.exists():        # the pages' own words (contents, edition, figure labels)
        paths.append(templates)
    results = []
    with locked(project.root):
        for path in paths:
            result = _fill(path, translator, engine_name, batch, timeout)
            results.append(result)
            if result.error:
                break
    return results


def _fill(path: Path, translator, engine_name: str, batch: int, timeout: float) -> MTResult:
    raw = path.read_bytes()
    po = catalogs.parse(raw, path)
    result = MTResult(path)
    todo = [e for e in po if not e.obsolete and e.msgid and not e.msgstr and "fuzzy" not in e.flags]
    stamp = f"{MT_COMMENT} ({engine_name}, {datetime.now(timezone.utc).date().isoformat()}): review before use."
    for start in range(0, len(todo), batch):
        try:
            for entry in todo[start:start + batch]:
                _translate_entry(entry, translator, timeout, stamp, result)
        except MTError as exc:
            result.error = f"{path}: {exc}"
            break
        finally:
            try:
                if catalogs.save(po, path, raw):      # only if nobody saved it meanwhile
                    raw = path.read_bytes()
            except PublishError as exc:
                result.error = str(exc)
        if result.error:
            break
    result.left = sum(1 for e in po if not e.obsolete and e.msgid and not e.msgstr)
    return result


def _translate_entry(entry: polib.POEntry, translator, timeout: float, stamp: str, result: MTResult) -> None:
    text, spans = protect(entry.msgid)
    answer = _call(translator.translate, text, timeout)
    restored = restore(answer or "", spans)
    if restored is None or not restored.strip():
        result.rejected.append(f"{result.path}:{getattr(entry, 'msgstr_line', entry.linenum)}: [{entry.msgctxt}] "
                               "protected parts did not come back intact; left untranslated")
        return
    entry.msgstr = restored
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    entry.comment = "\n".join(filter(None, [entry.comment, stamp]))
    result.filled += 1


def _call(function, text: str, timeout: float) -> str:
    """Call an engine with a time limit (deep-translator sets none) and retries with backoff."""
    delay = BACKOFF
    for attempt in range(RETRIES):
        outcome: dict = {}

        def run():
            try:
                outcome["value"] = function(text)
            except BaseException as exc:   # reported below, in the calling thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            problem = f"no answer within {timeout:g} s"
        elif "error" in outcome:
            problem = redact(_describe(outcome["error"]))
            if _is_unreachable(outcome["error"]):
                raise MTError(f"cannot reach the engine: {problem}")
            if _is_refusal(outcome["error"]):
                raise MTError(f"the engine refuses the request: {problem}; check the key in the environment")
        else:
            return outcome["value"]
        if attempt + 1 < RETRIES:
            log.info("engine failed (%s); retrying in %.1f s", problem, delay)
            time.sleep(delay)
            delay *= 2
    raise MTError(f"the engine failed {RETRIES} times: {problem}")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def _is_unreachable(exc: BaseException) -> bool:
    import requests
    return isinstance(exc, (requests.ConnectionError, ConnectionError)) and not isinstance(exc, requests.Timeout)


def _is_refusal(exc: BaseException) -> bool:
    from deep_translator.exceptions import AuthorizationException
    return isinstance(exc, AuthorizationException) or "401" in str(exc) or "403" in str(exc)
