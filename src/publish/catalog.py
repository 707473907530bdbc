"""Catalogs: the template (.pot) made from segments, and the lossless merge into each .po.

.po files are read and written with polib, which keeps what Babel's reader drops (``#|``
previous msgid and msgctxt, obsolete entries). Writes are atomic and happen only when the
content changed, so an unchanged catalog stays byte-identical.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import textwrap
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from .errors import CatalogError
from .fsutil import PARSED, digest, write_atomic
from .segments import Segment

WRAP = 79
SIMILARITY = 0.6     # below this, an old translation is no useful suggestion for a new unit
DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")
# In a template: what it was extracted from (see ``stamp``); in a catalog: the template it was merged with.
SOURCE_HEADER = "X-Publish-Source"


# -- reading and writing ------------------------------------------------------------------------

# The last catalog read from each path, pickled: a build reads the same catalog in several stages,
# and unpickling a copy is twenty times faster than parsing it again.
_READ: dict[str, tuple[str, bytes]] = {}


def read(path: Path) -> polib.POFile:
    """Read a .po/.pot file; every problem is reported with the file and line. Each call returns a
    catalog of its own, which the caller may change."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalog not found", path) from None
    key = hashlib.sha256(raw).hexdigest()
    known = _READ.get(str(path))
    if known is not None and known[0] == key:
        return pickle.loads(known[1])
    kept_as = digest(_parser_key(), key)
    kept = PARSED.load(path, kept_as)
    if kept is not None:              # (the catalog, what msgfmt --check said of it)
        blob, messages = kept
        _SyntaxCheck.accepted.add(key)
        if messages is not None:
            _SyntaxCheck.messages[key] = messages
        po = pickle.loads(blob)
    else:
        po = _parse(path, raw, key)
        blob = pickle.dumps(po, pickle.HIGHEST_PROTOCOL)
        PARSED.keep(path, kept_as, (blob, _SyntaxCheck.messages.get(key)))
    _READ[str(path)] = (key, blob)
    return po


def _parser_key() -> str:
    """What shapes a catalog read besides its bytes: this module, polib, and msgfmt (by its file)."""
    msgfmt = shutil.which("msgfmt")
    found = os.stat(msgfmt) if msgfmt else None
    return digest(Path(__file__).read_bytes(), polib.__version__,
                  f"{msgfmt}:{found.st_size}:{found.st_mtime_ns}" if found else "-")


def _parse(path: Path, raw: bytes, key: str) -> polib.POFile:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CatalogError(f"invalid UTF-8 (byte {raw[exc.start]:#x}); catalogs must be UTF-8", path, line) from None
    syntax = _SyntaxCheck(path, key)      # msgfmt runs while polib parses
    try:
        po = polib.pofile(text, wrapwidth=WRAP, check_for_duplicates=False)
    except (OSError, ValueError) as exc:
        syntax.cancel()
        match = re.search(r"\(line (\d+)\)", str(exc))
        detail = str(exc).split(":", 1)[-1].strip() if "):" in str(exc) else "syntax error"
        raise CatalogError(f"syntax error: {detail}", path, int(match.group(1)) if match else None) from None
    po.fpath = str(path)
    try:
        _check_header(po, path, text)
        _check_duplicates(po, path)
    except CatalogError:
        syntax.cancel()
        raise
    syntax.result()
    return po


class _SyntaxCheck:
    """GNU msgfmt on a catalog's bytes, once per content and process.

    polib lets some syntax errors pass (a string left open at the end); msgfmt does not. A .po file
    goes through ``msgfmt --check`` (format strings, header), whose messages the catalog-health check
    reports (``check_messages``): one run serves both. Only when --check fails does a plain run decide
    whether the file can be read at all."""

    accepted: set[str] = set()
    messages: dict[str, str] = {}      # content hash -> what msgfmt --check says of a .po file

    def __init__(self, path: Path, key: str):
        self.path, self.key = path, key      # (key: the SHA-256 of the bytes)
        self.strict = path.suffix == ".po"
        self.process = None
        if self.key not in self.accepted and shutil.which("msgfmt"):
            self.process = subprocess.Popen(["msgfmt", *(["--check"] if self.strict else []), "-o", "/dev/null",
                                             str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE)

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process.stderr.close()

    def result(self) -> None:
        if self.process is None:
            return
        stderr = self.process.stderr.read().decode("utf-8", "replace")
        self.process.stderr.close()
        status, syntax = self.process.wait(), stderr
        if status != 0 and self.strict:
            plain = subprocess.run(["msgfmt", "-o", "/dev/null", str(self.path)], capture_output=True)
            status, syntax = plain.returncode, plain.stderr.decode("utf-8", "replace")
        if status == 0:
            self.accepted.add(self.key)
            if self.strict:
                self.messages[self.key] = stderr
            return
        for line in syntax.splitlines():
            match = re.match(r".*?:(\d+):(?:\d+:)?\s*(.*)", line)
            if match:
                raise CatalogError(f"syntax error: {match.group(2)}", self.path, int(match.group(1)))
        raise CatalogError(f"msgfmt rejects it: {syntax.strip()}", self.path)


def check_messages(path: Path) -> str | None:
    """What ``msgfmt --check`` says of a .po file (nothing when it passes; None without msgfmt): from
    the run made when these bytes were read, or from a run now."""
    if not shutil.which("msgfmt"):
        return None
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key not in _SyntaxCheck.messages:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True)
        return result.stderr.decode("utf-8", "replace")
    return _SyntaxCheck.messages[key]


def _check_header(po: polib.POFile, path: Path, text: str) -> None:
    content_type = po.metadata.get("Content-Type", "text/plain; charset=UTF-8")
    charset = content_type.partition("charset=")[2].strip().lower()
    if charset not in ("utf-8", "charset"):
        line = next((n for n, l in enumerate(text.splitlines(), 1) if "Content-Type" in l), 1)
        raise CatalogError(f"header declares charset {charset!r}; catalogs must be UTF-8", path, line)


def _check_duplicates(po: polib.POFile, path: Path) -> None:
    seen: dict[tuple, int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(f"duplicate entry (first at line {seen[key]})", path, entry.linenum,
                               entry.msgctxt)
        seen[key] = entry.linenum


def render(po: polib.POFile) -> str:
    po.wrapwidth = WRAP
    return str(po) + ("" if str(po).endswith("\n") else "\n")


def save(po: polib.POFile, path: Path, previous: polib.POFile | None = None) -> bool:
    """Write atomically if the entries or header changed (dates aside); True if written.

    ``previous`` is the file as already read, if it was: it saves reading it again."""
    if path.exists():
        if previous is None:
            try:
                previous = read(path)
            except CatalogError:
                previous = None
        if previous is not None and (_fields(previous) == _fields(po)
                                     or _comparable(render(previous)) == _comparable(render(po))):
            return False
    write_atomic(path, render(po))
    return True


ENTRY_FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags", "comment", "tcomment",
                "occurrences", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete")


def _fields(po: polib.POFile) -> tuple:
    """What a catalog says, dates aside, without rendering it (rendering is polib's slow part)."""
    header = [(k, v) for k, v in po.metadata.items() if k not in DATE_HEADERS]
    entries = [tuple(_normal(getattr(e, name), name) for name in ENTRY_FIELDS) for e in po]
    return po.header, header, entries


def _normal(value, name: str):
    if name in ("comment", "tcomment") and value:
        # As written: long comment lines are wrapped, and read back as several lines.
        prefix = "#. " if name == "comment" else "# "
        return tuple(wrapped for line in value.split("\n") for wrapped in (
            textwrap.wrap(line, WRAP, initial_indent=prefix, subsequent_indent=prefix, break_long_words=False)
            if len(line) + len(prefix) > WRAP else [prefix + line]))
    if isinstance(value, list):
        return [tuple(v) if isinstance(v, (list, tuple)) else v for v in value]
    if isinstance(value, dict):
        return sorted((int(k), v) for k, v in value.items())
    return value or None


def _comparable(text: str) -> str:
    return "\n".join(l for l in text.splitlines() if not any(l.startswith(f'"{h}:') for h in DATE_HEADERS))


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch) if epoch else time.time(), tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M%z")


# -- the template -------------------------------------------------------------------------------

def make_template(segments: list[Segment], source: str, project: str, source_key: str | None = None
                  ) -> polib.POFile:
    """A .pot for a document, entries in document order; stamped with ``source_key`` if given."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.header = f"Translation template for {project}.\nMade by publish from {source}; do not edit by hand."
    pot.metadata = _header(project, None)
    for seg in segments:
        entry = polib.POEntry(msgctxt=seg.context, msgid=seg.text, msgstr="",
                              occurrences=[(source, str(seg.line))], comment="\n".join(seg.comments))
        if "%" in seg.text:
            # Babel and xgettext flag any "70% of" as python-format; msgfmt would then reject
            # translations that reorder it.
            entry.flags.append("no-python-format")
        pot.append(entry)
    if source_key is not None:
        stamp(pot, source_key)
    return pot


def stamp(template: polib.POFile, source_key: str) -> None:
    """Record in a template the key of the source it was extracted from, with its entries as written:
    a template whose stamp holds is that source's extraction (one edited since is not). A catalog
    merged with it carries the same stamp, as msgmerge carries POT-Creation-Date."""
    template.metadata.pop(SOURCE_HEADER, None)
    template.metadata[SOURCE_HEADER] = _stamp(source_key, render(template))


def _stamp(source_key: str, text: str) -> str:
    return digest(source_key, text.partition("\n\n")[2])      # the entries: all after the header's


def current_template(path: Path, source_key: str) -> polib.POFile | None:
    """The template at ``path`` if its stamp says it is the extraction of this source, untouched."""
    try:
        text = path.read_bytes().decode("utf-8")
        template = read(path)
    except (OSError, UnicodeDecodeError, CatalogError):
        return None
    return template if template.metadata.get(SOURCE_HEADER) == _stamp(source_key, text) else None


def _header(project: str, tag: str | None) -> dict[str, str]:
    header = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _now(),
        "PO-Revision-Date": _now() if tag else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": gettext_language(tag) if tag else "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if tag:
        header["Plural-Forms"] = plural_forms(tag)
    header["Generated-By"] = "publish"
    return header


def gettext_language(tag: str) -> str:
    """The gettext form of a BCP 47 tag: es-419 -> es_419, zh-Hans -> zh_Hans."""
    return str(Locale.parse(tag, sep="-"))


def plural_forms(tag: str) -> str:
    return get_plural(Locale.parse(tag, sep="-")).plural_forms


# -- merging ------------------------------------------------------------------------------------

@dataclass
class MergeReport:
    kept: int = 0
    moved: int = 0
    fuzzy: int = 0
    obsoleted: int = 0
    new: int = 0


def merge(template: polib.POFile, old: polib.POFile | None, tag: str) -> tuple[polib.POFile, MergeReport]:
    """Merge ``old`` translations into a fresh copy of ``template``, keyed on msgctxt, losing nothing.

    - same context, same source: the translation is kept as it is;
    - the same source text elsewhere (a moved unit): its translation is kept;
    - same context, changed source: the old translation, fuzzy, with ``#|`` previous msgid;
    - a new unit resembling a vanished one (split, merged, rewritten and moved): a fuzzy suggestion;
    - every old translation not carried over as it was stays as an obsolete entry (``#~``).
    """
    report = MergeReport()
    po = polib.POFile(wrapwidth=WRAP)
    po.header = old.header if old is not None and old.header else template.header.replace(
        "Translation template", "Translation")
    po.metadata = dict(old.metadata) if old is not None else _header(template.metadata["Project-Id-Version"], tag)
    po.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", _now())
    po.metadata["Language"] = gettext_language(tag)
    po.metadata.setdefault("Plural-Forms", plural_forms(tag))
    po.metadata.pop(SOURCE_HEADER, None)
    if SOURCE_HEADER in template.metadata:
        po.metadata[SOURCE_HEADER] = template.metadata[SOURCE_HEADER]

    olds = [e for e in old if e.msgid] if old is not None else []
    active = {(e.msgctxt, e.msgid): e for e in olds if not e.obsolete}
    by_context = {e.msgctxt: e for e in olds if not e.obsolete}
    by_text: dict[str, list[polib.POEntry]] = {}
    for e in olds:
        if e.msgstr:
            by_text.setdefault(e.msgid, []).append(e)
    carried: set[int] = set()    # ids of old entries whose translation now lives unchanged in an entry
    suggested: set[int] = set()  # ids of old entries offered as a fuzzy suggestion

    fresh = []
    for tmpl in template:
        entry = polib.POEntry(msgctxt=tmpl.msgctxt, msgid=tmpl.msgid, msgstr="", occurrences=list(tmpl.occurrences),
                              comment=tmpl.comment, flags=[f for f in tmpl.flags if f != "fuzzy"])
        fresh.append(entry)
        same = active.get((tmpl.msgctxt, tmpl.msgid))
        if same is not None:
            _take(entry, same, keep_fuzzy=True)
            carried.add(id(same))
            report.kept += bool(same.msgstr)
            continue
        moved = next((e for e in by_text.get(tmpl.msgid, []) if not e.obsolete and id(e) not in carried), None) \
            or next((e for e in by_text.get(tmpl.msgid, []) if id(e) not in carried), None)
        if moved is not None:
            _take(entry, moved, keep_fuzzy=True)
            carried.add(id(moved))
            report.moved += 1
    # Second pass: fuzzy suggestions for what is still untranslated.
    for entry in fresh:
        if entry.msgstr:
            continue
        previous = by_context.get(entry.msgctxt)
        if previous is not None and previous.msgstr and id(previous) not in carried:
            _suggest(entry, previous)
            suggested.add(id(previous))
            report.fuzzy += 1
            continue
        # A split unit may take the same suggestion twice, hence no exclusion of suggested ones.
        candidates = [e for e in olds if e.msgstr and id(e) not in carried]
        best = _most_similar(entry.msgid, candidates)
        if best is not None:
            _suggest(entry, best)
            suggested.add(id(best))
            report.fuzzy += 1
        else:
            report.new += 1
    for entry in fresh:
        po.append(entry)
    # Whatever was not carried over unchanged stays, obsolete, so no translation is ever lost.
    current = {(e.msgctxt, e.msgid) for e in fresh}
    for e in sorted((e for e in olds if e.msgstr and id(e) not in carried and id(e) not in suggested),
                    key=lambda e: (e.msgctxt or "", e.msgid)):
        if (e.msgctxt, e.msgid) in current:
            continue
        ghost = polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, obsolete=True,
                              flags=list(e.flags), tcomment=e.tcomment)
        po.append(ghost)
        report.obsoleted += not e.obsolete
    return po, report


def _translator_flags(entry: polib.POEntry, old: polib.POEntry) -> None:
    """Flags a translator set (ignore-same, ...) travel with the translation; format flags come from the template."""
    for flag in old.flags:
        if flag != "fuzzy" and not flag.endswith("-format") and flag not in entry.flags:
            entry.flags.append(flag)


def _take(entry: polib.POEntry, old: polib.POEntry, keep_fuzzy: bool) -> None:
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    _translator_flags(entry, old)
    if keep_fuzzy and "fuzzy" in old.flags:
        entry.flags.append("fuzzy")
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgctxt = old.previous_msgctxt
    mt = [line for line in (old.comment or "").splitlines() if line.startswith("Machine translation")]
    if mt and "fuzzy" in old.flags:
        entry.comment = "\n".join(filter(None, [entry.comment, *mt]))


def _suggest(entry: polib.POEntry, old: polib.POEntry) -> None:
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    _translator_flags(entry, old)
    entry.flags.append("fuzzy")
    entry.previous_msgid = old.previous_msgid if "fuzzy" in old.flags and old.previous_msgid else old.msgid
    if old.msgctxt != entry.msgctxt:
        entry.previous_msgctxt = old.msgctxt


def _most_similar(text: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, score = None, SIMILARITY
    for candidate in candidates:
        matcher = difflib.SequenceMatcher(None, text, candidate.msgid, autojunk=False)
        if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
            continue
        ratio = matcher.ratio()
        if ratio >= score:
            best, score = candidate, ratio
    return best


# -- statistics ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stats:
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def stats(po: polib.POFile) -> Stats:
    live = [e for e in po if not e.obsolete and e.msgid]
    fuzzy = sum(1 for e in live if "fuzzy" in e.flags)
    translated = sum(1 for e in live if e.msgstr and "fuzzy" not in e.flags)
    return Stats(translated, fuzzy, len(live) - fuzzy - translated, sum(1 for e in po if e.obsolete))
