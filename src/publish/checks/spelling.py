"""Spelling of Spanish and Portuguese translations with Hunspell and a project word list."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from . import WARNING, check, live_entries

DICTIONARY_DIRS = [Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts")]
# The last word handed to Hunspell, one that no dictionary has and that is never asked about itself.
# Hunspell writes its output when it exits, after freeing its dictionary (a tenth of a second for
# pt_BR); with its output line-buffered, this word listed means every word before it was judged, and
# Hunspell is stopped then. (Without stdbuf, its answer is read to the end.)
SENTINEL = "qxqzqxqzqxqzqxqz"
LINE_BUFFERED = ["stdbuf", "-oL"] if shutil.which("stdbuf") else []
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
    dictionary = _dictionary(context.language)
    if dictionary is None:
        if language in ("es", "pt"):
            yield 1, None, f"no Hunspell dictionary for {context.language.tag} (Debian: hunspell hunspell-{language})"
        return
    entries, words_of, vocabulary = _words(context)
    unknown = _HUNSPELL.unknown(dictionary, vocabulary)
    for entry, found in zip(entries, words_of):
        words = [w for w in found if w in unknown]
        if words:
            yield entry.linenum, entry.msgctxt, f"unknown to the {dictionary} dictionary: {', '.join(dict.fromkeys(words))}"


WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"


def hunspell_for(languages) -> None:
    """Hunspell reading the dictionaries of these languages, and of no other: started before the
    catalogs are even read, it spends its half second on pt_BR's while they are read and checked."""
    wanted = {d for d in map(_dictionary, languages) if d is not None}
    _HUNSPELL.close(set(_HUNSPELL.opened) - wanted)
    for dictionary in wanted:
        _HUNSPELL.open(dictionary)


def reading() -> int:
    """How many Hunspell processes are reading their dictionaries, each on a core of its own."""
    return len(_HUNSPELL.opened)


def handed_over(languages):
    """Around the fork of a process that checks these languages: it takes over their Hunspell."""
    return _HUNSPELL.handed_over({d for d in map(_dictionary, languages) if d is not None})


def dictionary_weight(language) -> int:
    """How long Hunspell takes to read the language's dictionary, as the size of its .dic file."""
    dictionary = _dictionary(language)
    for folder in DICTIONARY_DIRS if dictionary else []:
        if (folder / f"{dictionary}.dic").exists():
            return (folder / f"{dictionary}.dic").stat().st_size
    return 0


def start_hunspell(contexts: list) -> None:
    """Hand Hunspell the words of every catalog about to be checked, one run per dictionary, now:
    it answers while the other checks run."""
    words: dict[str, set[str]] = {}
    for context in contexts:
        dictionary = _dictionary(context.language)
        if dictionary is not None:
            words.setdefault(dictionary, set()).update(_words(context)[2])
    for dictionary, vocabulary in words.items():
        _HUNSPELL.start(dictionary, vocabulary)
    _HUNSPELL.close(set(_HUNSPELL.opened))      # opened for words that were all judged before


def _dictionary(language) -> str | None:
    if language.tag.split("-")[0] not in ("es", "pt") or not shutil.which("hunspell"):
        return None
    return dictionary_for(language.tag)


def _words(context) -> tuple[list, list[list[str]], set[str]]:
    """The translated entries, the words of each, and the distinct words no word list already has."""
    if "spelling" not in context.cache:
        entries = [e for e in live_entries(context.po) if e.msgstr]
        words_of = [re.findall(WORD, _plain(e.msgstr)) for e in entries]
        context.cache["spelling"] = entries, words_of, {w for words in words_of for w in words} - _known(context)
    return context.cache["spelling"]


class _Hunspell:
    """Hunspell's verdict on each word, asked once per process (``hunspell -l`` lists the unknown)."""

    def __init__(self):
        self.unknown_words: dict[str, set[str]] = {}
        self.judged: dict[str, set[str]] = {}
        self.running: dict[str, list[tuple[set[str], "_Asked"]]] = {}
        self.opened: dict[str, subprocess.Popen] = {}
        self.for_child: set[str] = set()

    def open(self, dictionary: str) -> None:
        """A Hunspell that reads its dictionary now and waits for the words."""
        if dictionary not in self.opened:
            self.opened[dictionary] = subprocess.Popen([*LINE_BUFFERED, "hunspell", "-d", dictionary, "-l"],
                                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                       stderr=subprocess.DEVNULL)

    def close(self, dictionaries) -> None:
        for dictionary in dictionaries:
            process = self.opened.pop(dictionary)
            process.kill()
            process.communicate()

    def forget(self, keep=frozenset()) -> None:
        """This process's copies of the pipes of the processes opened close; the processes go on for
        whoever holds the other copies. Only those of ``keep`` stay opened here."""
        for dictionary in set(self.opened) - set(keep):
            process = self.opened.pop(dictionary)
            process.stdin.close()
            process.stdout.close()

    @contextmanager
    def handed_over(self, dictionaries):
        """Around a fork: the child keeps the processes reading these dictionaries, and this process
        lets go of them; the child forgets the others. (Each dictionary is then read once.)"""
        self.for_child = set(dictionaries)
        try:
            yield
        finally:
            self.forget(keep=set(self.opened) - self.for_child)
            self.for_child = set()

    def _after_fork_in_child(self) -> None:
        self.forget(keep=self.for_child)
        self.for_child = set()

    def start(self, dictionary: str, words: set[str]) -> None:
        new = words - self.judged.get(dictionary, set()) - {SENTINEL}
        for asked, _ in self.running.get(dictionary, []):
            new -= asked
        if not new:
            return
        self.open(dictionary)
        asked = _Asked(self.opened.pop(dictionary), "\n".join(sorted(new)).encode("utf-8"))
        self.running.setdefault(dictionary, []).append((new, asked))

    def unknown(self, dictionary: str, words: set[str]) -> set[str]:
        self.start(dictionary, words)
        for asked, answer in self.running.pop(dictionary, []):
            # Hunspell lists the parts of a hyphenated word it does not know (China-ALC: ALC).
            self.unknown_words.setdefault(dictionary, set()).update(answer.result().split())
            self.judged.setdefault(dictionary, set()).update(asked)
        return words & self.unknown_words.get(dictionary, set())


class _Asked(threading.Thread):
    """Words handed to a Hunspell process, and its answer read, by threads of their own: Hunspell
    answers while it reads, and a full pipe each way would otherwise hold both processes."""

    def __init__(self, process: subprocess.Popen, words: bytes):
        super().__init__(name="hunspell", daemon=True)
        self.process, self.words, self.out = process, words, b""
        self.start()

    def run(self) -> None:
        writer = threading.Thread(target=self._write, name="hunspell-words", daemon=True)
        writer.start()
        answer = []
        for line in self.process.stdout:
            if line.rstrip(b"\n") == SENTINEL.encode():
                break
            answer.append(line)
        self.process.kill()                  # (it has judged every word; it would only free its dictionary)
        self.process.wait()
        writer.join()
        self.process.stdout.close()
        self.out = b"".join(answer)

    def _write(self) -> None:
        try:
            self.process.stdin.write(self.words + f"\n{SENTINEL}\n".encode())
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):      # (Hunspell stopped early)
            pass

    def result(self) -> str:
        self.join()
        return self.out.decode("utf-8", "replace")


_HUNSPELL = _Hunspell()
os.register_at_fork(after_in_child=_HUNSPELL._after_fork_in_child)


def _plain(text: str) -> str:
    from .content import CODE, _without_citations, _without_urls   # (late: Hunspell starts before their import)
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
