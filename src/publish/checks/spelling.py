"""Spelling of Spanish and Portuguese translations with Hunspell and a project word list."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from . import WARNING, check, live_entries
from .content import CODE, _without_citations, _without_urls

DICTIONARY_DIRS = [Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts")]
WORDLIST = "wordlist.txt"   # translations/wordlist.txt and translations/<lang>/wordlist.txt: one word a line


def dictionary_for(tag: str) -> str | None:
    language, _, region = tag.partition("-")
    candidates = [f"{language}_{region}" if region else None, *(
        {"es": ["es_MX", "es_ES"], "pt": ["pt_BR", "pt_PT"]}.get(language, []))]
    for name in filter(None, candidates):
        if any((folder / f"{name}.dic").exists() for folder in DICTIONARY_DIRS):
            return name
    return None


@check("spelling", WARNING, scope="file")
def spelling(context):
    """Words Hunspell does not know, unless the project word list or the glossary has them."""
    language = context.language.tag.split("-")[0]
    if language not in ("es", "pt"):
        return
    dictionary = dictionary_for(context.language.tag)
    if dictionary is None or not shutil.which("hunspell"):
        yield 1, None, f"no Hunspell dictionary for {context.language.tag} (Debian: hunspell hunspell-{language})"
        return
    entries = [e for e in live_entries(context.po) if e.msgstr]
    texts = [_plain(e.msgstr) for e in entries]
    known = _known(context)
    words_of = [re.findall(WORD, text) for text in texts]
    vocabulary = sorted({w for words in words_of for w in words} - known)
    unknown = _unknown_words(dictionary, vocabulary, context) - known   # hunspell splits China-ALC
    for entry, found in zip(entries, words_of):
        words = [w for w in found if w in unknown]
        if words:
            yield entry.linenum, entry.msgctxt, f"unknown to the {dictionary} dictionary: {', '.join(dict.fromkeys(words))}"


WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"


def _unknown_words(dictionary: str, vocabulary: list[str], context) -> set[str]:
    """Hunspell's verdict on each distinct word once, cached by dictionary and vocabulary."""
    from ..fsutil import digest, write_atomic
    cache = context.project.build_dir / ".cache" / "spelling" if context.project else None
    key = digest(dictionary, *vocabulary)
    if cache is not None and (cache / key).exists():
        return set((cache / key).read_text(encoding="utf-8").split("\n")) - {""}
    result = subprocess.run(["hunspell", "-d", dictionary, "-l"], input="\n".join(vocabulary), capture_output=True,
                            text=True)
    unknown = set(result.stdout.split())
    if cache is not None:
        write_atomic(cache / key, "\n".join(sorted(unknown)))
    return unknown


def _plain(text: str) -> str:
    text = CODE.sub(" ", _without_urls(_without_citations(text)))
    text = re.sub(r"%\(\w+\)[sd]", " ", text)            # python-format placeholders of the templates
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
