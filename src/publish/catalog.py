"""Catalogs: read and write .po/.pot files, the template made from segments, and the lossless merge.

Files are read with polib, which keeps what Babel's reader drops (``#|`` previous msgid and msgctxt,
obsolete entries), after GNU msgfmt has accepted their syntax. They are written as GNU msgcat writes
them, so that a catalog saved by Poedit, msgcat or Weblate (translate-toolkit) differs from ours only
where its content does. A rewrite replaces the file only if it still holds what was read: a translator's
save made meanwhile is never overwritten (``replace_if_unchanged``).
"""

from __future__ import annotations

import ctypes
import difflib
import errno
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from . import tools
from .errors import CatalogError
from .segments import Segment

SIMILARITY = 0.6     # below this, an old translation is no useful suggestion for a new unit
DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")
# Markers translators set on an entry, kept as translator comment lines: every gettext tool keeps those
# (GNU msgcat drops flags it does not know). A flag of the same name, as Weblate may write it, counts too.
MARKERS = ("ignore-same",)
BOM = b"\xef\xbb\xbf"


# -- reading ----------------------------------------------------------------------------------------

def read(path: Path) -> polib.POFile:
    """Read a .po/.pot file; every problem is reported with the file and line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalog not found", path) from None
    except IsADirectoryError:
        raise CatalogError("a folder, not a catalog", path) from None
    return parse(raw, path)


def parse(raw: bytes, path: Path) -> polib.POFile:
    """A catalog from its bytes (``path`` names it in messages)."""
    if raw.startswith(BOM):
        raise CatalogError("the file starts with a byte-order mark (BOM), which gettext tools reject; "
                           "save it as UTF-8 without BOM", path, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CatalogError(f"invalid UTF-8 (byte {raw[exc.start]:#x}); catalogs must be UTF-8", path, line) from None
    _check_line_ends(text, path)
    try:
        po = polib.pofile(text, wrapwidth=79, check_for_duplicates=False)
    except (OSError, ValueError) as exc:
        _check_syntax(raw, path)              # msgfmt's message names the line better, when it has one
        for number, line in enumerate(text.split("\n"), 1):      # polib counts \v and \f as line ends
            found = _control(line)
            if found:
                raise CatalogError(f"syntax error: the line holds the control character U+{ord(found):04X}, "
                                   "invisible in most editors; remove it", path, number) from None
        match = re.search(r"\(line (\d+)\)", str(exc))
        detail = str(exc).split(":", 1)[-1].strip() if "):" in str(exc) else "syntax error"
        raise CatalogError(f"syntax error: {detail}", path, int(match.group(1)) if match else None) from None
    po.fpath = str(path)
    _check_header(po, path, text)
    _check_duplicates(po, path)
    _check_syntax(raw, path)
    _find_msgstr_lines(po, text)
    return po


# Characters Python (and so polib) takes for line ends where gettext sees text: polib would read the
# string cut there, and an edition would publish something else than the file says.
LINE_ENDS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _check_line_ends(text: str, path: Path) -> None:
    for number, line in enumerate(text.split("\n"), 1):
        found = next((c for c in line if c in LINE_ENDS), None)
        if found:
            raise CatalogError(f"the line holds U+{ord(found):04X} ({unicodedata.name(found, 'a control character').lower()}),"
                               " invisible in most editors, which gettext tools and Python read differently; "
                               "remove it", path, number)


def _find_msgstr_lines(po: polib.POFile, text: str) -> None:
    """Each entry's ``msgstr_line``: where its msgstr is written (polib keeps the line where the entry
    begins, its first comment), the line an editor is pointed at for a finding about the translation."""
    lines = text.splitlines()
    for entry in po:
        number = entry.linenum
        while number <= len(lines) and not lines[number - 1].startswith(("msgstr", "#~ msgstr")):
            number += 1
        entry.msgstr_line = number if number <= len(lines) else entry.linenum


def _check_syntax(raw: bytes, path: Path) -> None:
    """GNU msgfmt's verdict on the syntax: polib lets some errors pass (a string left open at the end).
    Without msgfmt nothing is read: a broken catalog would be published mangled."""
    result = tools.run(["msgfmt", "-o", "/dev/null", "-"], input=raw, capture_output=True)
    if result.returncode == 0:
        return
    stderr = result.stderr.decode("utf-8", "replace")
    for line in stderr.splitlines():
        match = re.match(r"(?:.*?):(\d+):(?:\d+:)?\s*(.*)", line)
        if match:
            number, message = int(match.group(1)), match.group(2)
            raise CatalogError(f"syntax error: {_explained(raw, number, message)}", path, _line_of_fault(raw, number))
    raise CatalogError(f"msgfmt rejects it: {stderr.strip()}", path)


def _line_of_fault(raw: bytes, reported: int) -> int:
    """msgfmt names the line after a string broken by an invisible character; name the character's."""
    lines = raw.split(b"\n")
    if 1 < reported <= len(lines) + 1 and _control(lines[reported - 2].decode("utf-8", "replace")):
        return reported - 1
    return reported


def _explained(raw: bytes, reported: int, message: str) -> str:
    lines = raw.split(b"\n")
    for number in (reported - 1, reported):
        if 1 <= number <= len(lines):
            found = _control(lines[number - 1].decode("utf-8", "replace"))
            if found:
                return f"{message} (the line holds the control character U+{ord(found):04X}, invisible in most editors)"
    return message


def _control(text: str) -> str | None:
    return next((c for c in text if (ord(c) < 32 and c not in "\t\n\r") or 0x7f <= ord(c) <= 0x9f), None)


def _check_header(po: polib.POFile, path: Path, text: str) -> None:
    content_type = po.metadata.get("Content-Type", "text/plain; charset=UTF-8")
    charset = content_type.partition("charset=")[2].strip().lower()
    if charset not in ("utf-8", "charset"):
        line = next((n for n, l in enumerate(text.splitlines(), 1) if "Content-Type" in l), 1)
        raise CatalogError(f"header declares charset {charset!r}; catalogs must be UTF-8", path, line)


def _check_duplicates(po: polib.POFile, path: Path) -> None:
    seen: dict[tuple, int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in seen:
            raise CatalogError(f"duplicate entry (first at line {seen[key]})", path, entry.linenum, entry.msgctxt)
        seen[key] = entry.linenum


def header_line(path: Path | None, key: str) -> int:
    """The line of a header field in a catalog file (1 if it has none)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path else []
    except (OSError, UnicodeDecodeError):
        lines = []
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f'"{key}:')), 1)


# -- writing ----------------------------------------------------------------------------------------

def render(po: polib.POFile) -> bytes:
    """The catalog as GNU msgcat writes it: its wrapping and escaping, byte for byte."""
    for entry in po:
        _markers_as_comments(entry)
        if any("\x00" in (text or "") for text in (entry.msgid, entry.msgstr, entry.msgctxt, entry.tcomment)):
            raise CatalogError("the entry holds U+0000 (NUL), where gettext tools cut the text short; remove it, "
                               "then run the command again", Path(po.fpath) if po.fpath else None,
                               getattr(entry, "msgstr_line", entry.linenum), entry.msgctxt)
    text = str(po) if str(po).endswith("\n") else str(po) + "\n"
    result = tools.run(["msgcat", "-o", "-", "-"], input=text.encode("utf-8"), capture_output=True)
    if result.returncode != 0:
        raise CatalogError(f"msgcat rejects the catalog as written: {result.stderr.decode('utf-8', 'replace').strip()}",
                           Path(po.fpath) if po.fpath else None)
    return result.stdout


def _markers_as_comments(entry: polib.POEntry) -> None:
    for marker in MARKERS:
        if marker in entry.flags:
            entry.flags.remove(marker)
            if not has_marker(entry, marker):
                entry.tcomment = "\n".join(filter(None, [entry.tcomment, marker]))


def has_marker(entry: polib.POEntry, marker: str) -> bool:
    return marker in entry.flags or any(line.strip().split(":")[0] == marker
                                        for line in (entry.tcomment or "").splitlines())


def same_content(a: bytes, b: bytes) -> bool:
    """Whether two renderings say the same, the header's dates aside."""
    def without_dates(raw: bytes) -> list[bytes]:
        return [l for l in raw.splitlines() if not any(l.startswith(f'"{h}:'.encode()) for h in DATE_HEADERS)]
    return a == b or without_dates(a) == without_dates(b)


class CatalogChanged(CatalogError):
    """The file changed after it was read (a translator saved it): it was left as they saved it."""


def replace_if_unchanged(path: Path, data: bytes, read: bytes | None) -> None:
    """Replace ``path`` with ``data`` only if it still holds ``read`` (None: only if it does not exist).

    The new file is swapped in atomically with what is there (``renameat2(RENAME_EXCHANGE)``); if what
    came out is not what was read, a save arrived meanwhile and is swapped back, untouched, and
    CatalogChanged is raised. Without RENAME_EXCHANGE (not Linux, or a file system without it) the
    file is compared and then renamed over: a save in the microseconds between the two is lost.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())        # a translator's work, unlike the build's outputs, cannot be made again
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        if read is None:
            try:
                os.link(tmp, path)          # created only if nobody created it meanwhile
            except FileExistsError:
                raise CatalogChanged("the file was created while it was being written; it was left as it is; "
                                     "run the command again", path) from None
            return
        if not _exchange(tmp, path):
            if path.read_bytes() != read:
                raise CatalogChanged("the file changed while it was being merged (a save in an editor?); "
                                     "it was left as saved; run the command again", path)
            os.replace(tmp, path)
            return
        swapped_out = Path(tmp).read_bytes()
        if swapped_out != read:
            _exchange(tmp, path)            # their save back in place
            if Path(tmp).read_bytes() != data:   # and a later save still: the latest wins
                _exchange(tmp, path)
            raise CatalogChanged("the file changed while it was being merged (a save in an editor?); "
                                 "it was left as saved; run the command again", path)
    finally:
        Path(tmp).unlink(missing_ok=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


ENTRY_FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags", "comment", "tcomment",
                "occurrences", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete")


def same_catalog(a: polib.POFile, b: polib.POFile) -> bool:
    """Whether two catalogs say the same, entry by entry and field by field, the header's dates aside."""
    def metadata(po):
        return {k: v for k, v in po.metadata.items() if k not in DATE_HEADERS}
    return (a.header == b.header and metadata(a) == metadata(b) and len(a) == len(b)
            and all(getattr(x, f) == getattr(y, f) for x, y in zip(a, b) for f in ENTRY_FIELDS))


def save(po: polib.POFile, path: Path, read: bytes | None, old: polib.POFile | None = None) -> bool:
    """Write ``po`` to ``path`` if it says something new (dates aside), and only if the file still holds
    ``read``, the bytes it was made from (None: the file is new). ``old``: the catalog ``read`` holds,
    when at hand: if ``po`` says the same, the file is left as it is, however a tool wrapped it. True if
    written."""
    if old is not None and read is not None and same_catalog(po, old):
        return False
    data = render(po)
    if read is not None and same_content(read, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_if_unchanged(path, data, read)
    return True


def now(epoch: int | None = None) -> str:
    moment = datetime.fromtimestamp(epoch if epoch is not None else time.time(), tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M%z")


# -- the template -------------------------------------------------------------------------------------

def make_template(segments: list[Segment], source: str, project: str) -> polib.POFile:
    """A .pot for a document, entries in document order."""
    pot = polib.POFile(wrapwidth=79)
    pot.header = (f"Translation template for {project}, extracted from {source}.\n"
                  f"Translators work in translations/<language>/{project}.po; `make update-po` makes this "
                  "file again when the English changes.")
    pot.metadata = header(project, None)
    for seg in segments:
        entry = polib.POEntry(msgctxt=seg.context, msgid=seg.text, msgstr="",
                              occurrences=[(seg.origin or source, str(seg.line))],
                              comment="\n".join(seg.comments))
        if "%" in seg.text:
            # Babel and xgettext flag any "70% of" as python-format; msgfmt would then reject
            # translations that reorder it.
            entry.flags.append("no-python-format")
        pot.append(entry)
    return pot


def header(project: str, tag: str | None, epoch: int | None = None) -> dict[str, str]:
    fields = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now(epoch),
        "PO-Revision-Date": now(epoch) if tag else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": gettext_language(tag) if tag else "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if tag:
        fields["Plural-Forms"] = plural_forms(tag)
    fields["Generated-By"] = "publish"
    return fields


def gettext_language(tag: str) -> str:
    """The gettext form of a BCP 47 tag: es-419 -> es_419, zh-Hans -> zh_Hans."""
    return str(Locale.parse(tag, sep="-"))


def plural_forms(tag: str) -> str:
    return get_plural(Locale.parse(tag, sep="-")).plural_forms


def catalog_header(template: polib.POFile, language_name: str) -> str:
    project = template.metadata.get("Project-Id-Version", "")
    return (f"{language_name} translation of {project}.\n"
            "Edit the msgstr lines in Poedit, Weblate or a text editor; `make update-po` brings in changes "
            "of the English, keeping every translation.")


# -- merging --------------------------------------------------------------------------------------------

@dataclass
class MergeReport:
    kept: int = 0
    moved: int = 0
    fuzzy: int = 0
    restored: int = 0       # fuzzy entries whose English came back to what they translate
    obsoleted: int = 0
    new: int = 0            # units the catalog has never had


# Metadata a merge carries over from an older catalog's stamps: nothing the project writes any more.
RETIRED_HEADERS = ("X-Publish-Source",)


def merge(template: polib.POFile, old: polib.POFile | None, tag: str, language_name: str = "",
          epoch: int | None = None) -> tuple[polib.POFile, MergeReport]:
    """Merge ``old`` translations into a fresh copy of ``template``, keyed on msgctxt, losing nothing.

    - same context, same source: the translation is kept as it is;
    - the same source text elsewhere (a moved unit): its translation is kept;
    - same context, changed source: the old translation, fuzzy, with ``#|`` previous msgid; a fuzzy entry
      whose English came back to its ``#|`` is translated again;
    - a new unit resembling a vanished one (split, merged, rewritten and moved): a fuzzy suggestion;
    - every old translation not carried over as it was stays as an obsolete entry (``#~``).
    """
    report = MergeReport()
    po = polib.POFile(wrapwidth=79)
    po.header = old.header if old is not None and old.header and "do not edit by hand" not in old.header \
        else catalog_header(template, language_name or tag)
    po.metadata = dict(old.metadata) if old is not None else header(template.metadata.get("Project-Id-Version", ""), tag, epoch)
    po.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", now(epoch))
    po.metadata["Language"] = gettext_language(tag)
    po.metadata.setdefault("Plural-Forms", plural_forms(tag))
    for retired in RETIRED_HEADERS:
        po.metadata.pop(retired, None)

    olds = [e for e in old if e.msgid] if old is not None else []
    fresh = [_fresh(tmpl) for tmpl in template]
    carried = _carry_over(fresh, olds, report)
    suggested = _suggest_for_the_rest(fresh, olds, carried, report)
    for entry in fresh:
        po.append(entry)
    _keep_the_rest_obsolete(po, fresh, olds, carried, suggested, report)
    return po, report


def _fresh(tmpl: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(msgctxt=tmpl.msgctxt, msgid=tmpl.msgid, msgstr="", occurrences=list(tmpl.occurrences),
                         comment=tmpl.comment, flags=[f for f in tmpl.flags if f != "fuzzy"])


def _carry_over(fresh: list[polib.POEntry], olds: list[polib.POEntry], report: MergeReport) -> set[int]:
    """First pass: translations whose English is unchanged, in place or moved. The ids of the old entries
    carried over."""
    active = {(e.msgctxt, e.msgid): e for e in olds if not e.obsolete}
    by_text: dict[str, list[polib.POEntry]] = {}
    for e in olds:
        if e.msgstr:
            by_text.setdefault(e.msgid, []).append(e)
    carried: set[int] = set()
    for entry in fresh:
        same = active.get((entry.msgctxt, entry.msgid))
        if same is not None:
            _take(entry, same, report)
            carried.add(id(same))
            report.kept += bool(same.msgstr)
            continue
        # The unit's own translation kept obsolete (its text vanished and came back) first, as msgmerge
        # revives it: another entry under the same context and English could not be kept beside it.
        candidates = by_text.get(entry.msgid, [])
        moved = next((e for e in candidates if e.msgctxt == entry.msgctxt and id(e) not in carried), None) \
            or next((e for e in candidates if not e.obsolete and id(e) not in carried), None) \
            or next((e for e in candidates if id(e) not in carried), None)
        if moved is not None:
            _take(entry, moved, report)
            carried.add(id(moved))
            report.moved += 1
    return carried


def _suggest_for_the_rest(fresh, olds, carried: set[int], report: MergeReport) -> set[int]:
    """Second pass: fuzzy suggestions for what is still untranslated, from the same place or the most
    similar text. The ids of the old entries suggested."""
    by_context = {e.msgctxt: e for e in olds if not e.obsolete and e.msgctxt}   # (UI strings have none)
    known = {(e.msgctxt, e.msgid) for e in olds}
    current = {(e.msgctxt, e.msgid) for e in fresh}
    moved_away = {e.msgid for e in olds if not e.obsolete and (e.msgctxt, e.msgid) not in current}
    suggested: set[int] = set()
    for entry in fresh:
        if entry.msgstr:
            continue
        previous = by_context.get(entry.msgctxt) if entry.msgctxt else None
        if previous is None or not previous.msgstr or id(previous) in carried:
            # A split unit may take the same suggestion twice, hence no exclusion of suggested ones.
            previous = _most_similar(entry.msgid, [e for e in olds if e.msgstr and id(e) not in carried])
        if previous is not None and "fuzzy" in previous.flags and previous.previous_msgid == entry.msgid:
            _take(entry, previous, report)           # the English came back to what it translates
            carried.add(id(previous))
        elif previous is not None:
            _suggest(entry, previous)
            suggested.add(id(previous))
            report.fuzzy += 1
        elif (entry.msgctxt, entry.msgid) not in known and entry.msgid not in moved_away:
            report.new += 1          # (an untranslated unit that moved is no new work for the translator)
    return suggested


def _keep_the_rest_obsolete(po, fresh, olds, carried: set[int], suggested: set[int], report: MergeReport) -> None:
    """Whatever was not carried over unchanged stays, obsolete, so no translation is ever lost."""
    current = {(e.msgctxt, e.msgid) for e in fresh}
    for e in sorted((e for e in olds if e.msgstr and id(e) not in carried and id(e) not in suggested),
                    key=lambda e: (e.msgctxt or "", e.msgid)):
        if (e.msgctxt, e.msgid) in current:
            continue
        po.append(polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, obsolete=True,
                                flags=list(e.flags), tcomment=e.tcomment))
        report.obsoleted += not e.obsolete


def _translator_flags(entry: polib.POEntry, old: polib.POEntry) -> None:
    """Flags a translator set travel with the translation; format flags come from the template."""
    for flag in old.flags:
        if flag != "fuzzy" and not flag.endswith("-format") and flag not in entry.flags:
            entry.flags.append(flag)


def _take(entry: polib.POEntry, old: polib.POEntry, report: MergeReport) -> None:
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    _translator_flags(entry, old)
    if "fuzzy" in old.flags:
        if old.previous_msgid == entry.msgid and (old.previous_msgctxt or old.msgctxt) == entry.msgctxt:
            report.restored += 1     # the English came back to the text this translation was made for
            return
        entry.flags.append("fuzzy")
        _remember_previous(entry, old)
        _keep_machine_translation_note(entry, old)


def _keep_machine_translation_note(entry: polib.POEntry, old: polib.POEntry) -> None:
    """A machine translation's note (an extracted comment mt wrote) travels with its fuzzy translation."""
    mt = [line for line in (old.comment or "").splitlines() if line.startswith("Machine translation")]
    if mt and "fuzzy" in old.flags:
        entry.comment = "\n".join(filter(None, [entry.comment, *mt]))


def _suggest(entry: polib.POEntry, old: polib.POEntry) -> None:
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    _translator_flags(entry, old)
    _keep_machine_translation_note(entry, old)
    entry.flags.append("fuzzy")
    _remember_previous(entry, old)


def _remember_previous(entry: polib.POEntry, old: polib.POEntry) -> None:
    """The ``#|`` lines: the English the old translation was made for, and its context where that was
    another. An entry already fuzzy for another reason (machine translation, a translator's or a
    vendor's "needs review") has no previous English: a later revert of the English must not clear a
    fuzziness that edit did not cause. Only the unit's own English, come back, clears it (``_take``)."""
    if "fuzzy" in old.flags:
        msgid, msgctxt = old.previous_msgid, old.previous_msgctxt or old.msgctxt
    else:
        msgid, msgctxt = old.msgid, old.msgctxt
    entry.previous_msgid = msgid
    entry.previous_msgctxt = msgctxt if msgid and msgctxt != entry.msgctxt else None   # (no "#| msgctxt" alone)


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


# -- statistics -------------------------------------------------------------------------------------------

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
    """polib's own counts (its untranslated entries include the fuzzy ones that lack a msgstr)."""
    translated = len(po.translated_entries())
    fuzzy = len([e for e in po.fuzzy_entries() if e.msgid])
    return Stats(translated, fuzzy, len([e for e in po if e.msgid and not e.obsolete]) - translated - fuzzy,
                 len(po.obsolete_entries()))
