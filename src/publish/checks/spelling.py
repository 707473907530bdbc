"""Spelling of translations with Hunspell, the project's word lists and the glossary's terms."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path

from . import WARNING, check, kept_in_source_language, live_entries

DICTIONARY_DIRS = [Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts")]
WORDLIST = "wordlist.txt"   # translations/wordlist.txt and translations/<lang>/wordlist.txt: one word a line
# The dictionary for a language, and the Debian package that installs it.
DICTIONARIES = {"es": (["es_MX", "es_ES"], "hunspell-es"), "pt": (["pt_BR", "pt_PT"], "hunspell-pt-br")}
WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"


def dictionary_for(tag: str) -> str | None:
    language, _, region = tag.partition("-")
    names, _ = DICTIONARIES.get(language, ([], None))
    for name in filter(None, [f"{language}_{region}" if region else None, *names]):
        if any((folder / f"{name}.dic").exists() for folder in DICTIONARY_DIRS):
            return name
    return None


def _dictionary(language) -> str | None:
    if not shutil.which("hunspell"):
        return None
    return dictionary_for(language.tag)


def dictionary_stamp(language) -> str:
    """Hunspell and the language's dictionary files, as a key input of the findings."""
    from ..tools import file_stamp
    name = _dictionary(language)
    files = [folder / f"{name}.{ext}" for folder in DICTIONARY_DIRS for ext in ("dic", "aff")] if name else []
    return ";".join([file_stamp(shutil.which("hunspell")), *(file_stamp(f) for f in files if f.exists())])


@check("spelling", WARNING, scope="file")
def spelling(context):
    """Words Hunspell does not know, unless the project word list or the glossary has them."""
    language = context.language.tag.split("-")[0]
    dictionary = _dictionary(context.language)
    if dictionary is None:
        if language in DICTIONARIES:
            package = DICTIONARIES[language][1]
            yield 1, None, (f"no Hunspell dictionary for {context.language.tag}: spelling not checked "
                            f"(apt-get install hunspell {package})")
        return
    entries, words_of, vocabulary = _words(context)
    unknown = _answer(context) & vocabulary
    for entry, found in zip(entries, words_of):
        words = [w for w in found if w in unknown]
        if words:
            yield (getattr(entry, "msgstr_line", entry.linenum), entry.msgctxt,
                   f"unknown to the {dictionary} dictionary: {', '.join(dict.fromkeys(words))}")


def start_hunspell(contexts: list) -> None:
    """Ask Hunspell about the catalogs' words now, in a thread, one ``hunspell -l`` run per dictionary
    (a document's catalog and the templates' share it): it reads its dictionary, a large one for
    Portuguese, while the other checks run."""
    asking: dict[str, list] = {}
    for context in contexts:
        dictionary = _dictionary(context.language)
        if dictionary is not None and "hunspell" not in context.cache:
            asking.setdefault(dictionary, []).append(context)
    for dictionary, sharing in asking.items():
        words = "\n".join(sorted(set().union(*(_words(context)[2] for context in sharing))))
        answer: dict[str, set[str]] = {}
        asked = threading.Thread(target=_ask, args=(answer, dictionary, words), daemon=True)
        for context in sharing:
            context.cache["hunspell"] = asked, answer
        asked.start()


def _ask(answer: dict, dictionary: str, words: str) -> None:
    result = subprocess.run(["hunspell", "-d", dictionary, "-l"], input=words, capture_output=True, text=True)
    # Hunspell lists the parts of a hyphenated word it does not know (China-ALC: ALC).
    answer["unknown"] = set(result.stdout.split())


def _answer(context) -> set[str]:
    start_hunspell([context])
    asked, answer = context.cache["hunspell"]
    asked.join()
    return answer.get("unknown", set())


def _words(context) -> tuple[list, list[list[str]], set[str]]:
    """The translated entries, the words of each, and the distinct words no word list already has."""
    if "spelling" not in context.cache:
        entries = [e for e in live_entries(context.po) if e.msgstr and not kept_in_source_language(e)]
        words_of = [re.findall(WORD, _plain(e.msgstr)) for e in entries]
        context.cache["spelling"] = entries, words_of, {w for words in words_of for w in words} - _known(context)
    return context.cache["spelling"]


def _plain(text: str) -> str:
    from .content import CODE, _without_citations, _without_urls
    text = CODE.sub(" ", _without_urls(_without_citations(text)))
    text = re.sub(r"\{\w+\}", " ", text)                 # placeholders of the templates' strings
    return re.sub(r"[*_~^\\\[\]()]", " ", text).replace("\n", " ")


def _known(context) -> set[str]:
    words: set[str] = set()
    if context.project is not None:
        for path in (context.project.translations_dir / WORDLIST,
                     context.project.translations_dir / context.language.code / WORDLIST):
            if path.exists():
                words |= {w.strip() for w in path.read_text(encoding="utf-8").splitlines()
                          if w.strip() and not w.startswith("#")}
    if context.glossary is not None:
        for term in context.glossary.terms:
            for text in (*term.english, *(r for rend in term.renderings.values() for r in rend.accepted)):
                words |= set(re.findall(r"[^\W\d_]+", text))
    return words
