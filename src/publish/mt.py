"""Machine-translation pre-fill: untranslated entries only, protected markup, results marked fuzzy.

Engines come from deep-translator. Citations, note references, URLs, numbers and inline markup are
replaced by numbered placeholders before a text is sent and put back afterwards; a result whose
placeholders do not all come back intact is rejected and the entry stays untranslated. Progress is
saved atomically after every batch, so an interrupted or failing run keeps what it got.
"""

from __future__ import annotations

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
from .errors import PublishError
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


# -- engines ------------------------------------------------------------------------------------

ENGINES: dict[str, Callable] = {}


def engine(name: str):
    def register(factory):
        ENGINES[name] = factory
        return factory
    return register


@engine("libre")
def _libre(source: str, target: str, endpoint: str | None):
    from deep_translator import LibreTranslator
    url = endpoint or "https://libretranslate.com/"
    # deep-translator joins "translate" to the URL as it is, and wants a key even for a private server.
    return LibreTranslator(source=source, target=target, api_key=os.environ.get("LIBRE_API_KEY", "none"),
                           custom_url=url if url.endswith("/") else url + "/")


@engine("google")
def _google(source: str, target: str, endpoint: str | None):
    from deep_translator import GoogleTranslator
    return GoogleTranslator(source=source, target=target)


@engine("deepl")
def _deepl(source: str, target: str, endpoint: str | None):
    from deep_translator import DeeplTranslator
    return DeeplTranslator(source=source, target=target, api_key=_key("DEEPL_API_KEY"),
                           use_free_api=os.environ.get("DEEPL_FREE_API", "1") == "1")


@engine("microsoft")
def _microsoft(source: str, target: str, endpoint: str | None):
    from deep_translator import MicrosoftTranslator
    return MicrosoftTranslator(source=source, target=target, api_key=_key("MICROSOFT_API_KEY"),
                               region=os.environ.get("MICROSOFT_REGION"))


@engine("mymemory")
def _mymemory(source: str, target: str, endpoint: str | None):
    from deep_translator import MyMemoryTranslator
    return MyMemoryTranslator(source=source, target=target)


def _key(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise MTError(f"the engine needs an API key in the environment variable {variable}")
    return value


# Engines name languages their own way; deep-translator rejects es-419, pt-BR, zh-Hans as such.
SCRIPT_REGIONS = {"zh-Hans": ["zh-CN", "zh"], "zh-Hant": ["zh-TW", "zh"]}
SUPPORTED = {
    "libre": ["en", "es", "pt", "zh"],
    "google": ["en", "es", "pt", "zh-CN", "zh-TW"],
    "deepl": ["en", "es", "pt", "zh"],
    "microsoft": ["en", "es", "pt", "pt-pt", "zh-Hans", "zh-Hant"],
    "mymemory": ["en-GB", "en-US", "es-419", "es-ES", "es-MX", "pt-BR", "pt-PT", "zh-CN", "zh-TW"],
}


def engine_code(engine_name: str, tag: str) -> str:
    """The code an engine accepts for a BCP 47 tag: the tag itself, its script region, or its language."""
    supported = SUPPORTED.get(engine_name, [])
    language = tag.split("-")[0]
    candidates = [tag, *SCRIPT_REGIONS.get(tag, []), language,
                  *(c for c in supported if c.split("-")[0] == language)]
    for candidate in candidates:
        if candidate in supported or not supported:
            return candidate
    raise MTError(f"engine {engine_name!r} does not offer {tag}")


# -- protection ---------------------------------------------------------------------------------

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


# -- the run ------------------------------------------------------------------------------------

def prefill(project: Project, lang: str, engine_name: str, endpoint: str | None = None, doc: str | None = None,
            batch: int = 20, timeout: float = 20.0) -> list[MTResult]:
    if engine_name not in ENGINES:
        raise MTError(f"unknown engine {engine_name!r}; known: {', '.join(sorted(ENGINES))}")
    language = project.language(lang)
    if language.code == project.source_language:
        raise MTError(f"{lang} is the source language")
    translator = ENGINES[engine_name](engine_code(engine_name, project.source.tag),
                                      engine_code(engine_name, language.tag), endpoint)
    documents = [project.document(doc)] if doc else project.documents
    results = []
    for document in documents:
        path = project.catalog_path(document, language)
        result = _fill(path, translator, engine_name, batch, timeout)
        results.append(result)
        if result.error:
            break
    return results


def _fill(path: Path, translator, engine_name: str, batch: int, timeout: float) -> MTResult:
    po = catalogs.read(path)
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
            catalogs.save(po, path)      # atomic; unchanged files are not rewritten
    result.left = sum(1 for e in po if not e.obsolete and e.msgid and not e.msgstr)
    return result


def _translate_entry(entry: polib.POEntry, translator, timeout: float, stamp: str, result: MTResult) -> None:
    text, spans = protect(entry.msgid)
    answer = _call(translator.translate, text, timeout)
    restored = restore(answer or "", spans)
    if restored is None or not restored.strip():
        result.rejected.append(f"{result.path}:{entry.linenum}: [{entry.msgctxt}] protected parts did not "
                               "come back intact; left untranslated")
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
            problem = _describe(outcome["error"])
            if _is_unreachable(outcome["error"]):
                raise MTError(f"cannot reach the engine: {problem}")
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
