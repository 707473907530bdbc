"""XLIFF 1.2 hand-off to translation vendors: every catalog of a language out, checked translations back in.

Each ``<file>`` is one catalog, named by its ``original`` attribute (a document's id, or ``templates``
for the UI strings). A unit's id is the entry's msgctxt (a UI string, which has none, is named by a
digest of its English); its state says whether the translation is done (``translated``, ``signed-off``,
``final``) or awaits review (``needs-review-translation``, a fuzzy entry, whose previous English goes
out as ``<alt-trans>``). A file coming back is checked unit by unit before anything is written: a unit
that fails the checks is left as it was and listed, and the catalog is written only if every unit
passed (or with ``partial``).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import catalog as catalogs
from .errors import CatalogError, UsageError
from .fsutil import locked, write_atomic
from .project import Language, Project

NS = "urn:oasis:names:tc:xliff:document:1.2"
UI = "templates"
DONE = {"translated", "signed-off", "final"}
REVIEW = "needs-review-translation"


def unit_id(entry: polib.POEntry) -> str:
    """A stable id: the msgctxt, or for a string without one a digest of its English."""
    return entry.msgctxt or "ui/" + hashlib.sha256(entry.msgid.encode("utf-8")).hexdigest()[:16]


def _domains(project: Project) -> list[str]:
    return [d.id for d in project.documents] + [UI]


def export(project: Project, language: Language, out_dir: Path) -> list[Path]:
    """One XLIFF file per catalog of ``language`` under ``out_dir/<lang>/``."""
    written = []
    for domain in _domains(project):
        path = project.translations_dir / language.code / f"{domain}.po"
        if not path.exists():
            continue
        target = out_dir / language.code / f"{domain}.xlf"
        write_atomic(target, _xliff(catalogs.read(path), domain, project.source.tag, language.tag))
        written.append(target)
    return written


def _xliff(po: polib.POFile, domain: str, source_tag: str, target_tag: str) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", {"version": "1.2"})
    file = ET.SubElement(root, f"{{{NS}}}file", {"original": domain, "source-language": source_tag,
                                                 "target-language": target_tag, "datatype": "x-gettext"})
    ET.SubElement(ET.SubElement(file, f"{{{NS}}}header"), f"{{{NS}}}tool", {"tool-id": "publish", "tool-name": "publish"})
    body = ET.SubElement(file, f"{{{NS}}}body")
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        unit = ET.SubElement(body, f"{{{NS}}}trans-unit", {"id": unit_id(entry), "xml:space": "preserve"})
        ET.SubElement(unit, f"{{{NS}}}source").text = entry.msgid
        if entry.msgstr:
            fuzzy = "fuzzy" in entry.flags
            if not fuzzy:
                unit.set("approved", "yes")
            ET.SubElement(unit, f"{{{NS}}}target", {"state": REVIEW if fuzzy else "translated"}).text = entry.msgstr
            if fuzzy and entry.previous_msgid:
                alt = ET.SubElement(unit, f"{{{NS}}}alt-trans", {"alttranstype": "previous-version"})
                ET.SubElement(alt, f"{{{NS}}}source").text = entry.previous_msgid
        for text, origin in ((entry.comment, "developer"), (entry.tcomment, "translator")):
            if text:
                ET.SubElement(unit, f"{{{NS}}}note", {"from": origin}).text = text
        for path, line in entry.occurrences:
            group = ET.SubElement(unit, f"{{{NS}}}context-group", {"purpose": "location"})
            ET.SubElement(group, f"{{{NS}}}context", {"context-type": "sourcefile"}).text = path
            ET.SubElement(group, f"{{{NS}}}context", {"context-type": "linenumber"}).text = str(line)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


# -- import -----------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    path: Path | None = None
    updated: int = 0
    rejected: list[str] = field(default_factory=list)    # units that failed the checks, left as they were
    unknown: list[str] = field(default_factory=list)     # ids with no entry, or whose English changed
    matched: int = 0                                     # units that name a current entry
    written: bool = False

    @property
    def messages(self) -> list[str]:
        return [*(f"error: {r}" for r in self.rejected), *(f"warning: {u}" for u in self.unknown)]

    @property
    def summary(self) -> str:
        taken = "written" if self.written else "left unchanged"
        return (f"{self.updated} {'entry' if self.updated == 1 else 'entries'} taken, {len(self.rejected)} refused, "
                f"{len(self.unknown)} matching no entry; the catalog was {taken}")

    @property
    def status(self) -> int:
        """1 when a unit was refused, or when no unit matched an entry (the wrong file?)."""
        return 1 if self.rejected or not self.matched else 0


def _parse(xlf: Path) -> ET.Element:
    try:
        raw = xlf.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"--xliff {xlf}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"--xliff {xlf}: a folder, not an XLIFF file") from None
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
        raise CatalogError("the file declares a DTD or entities, which XLIFF files have no need of; it was not "
                           "read (ask for a plain XLIFF 1.2 export)", xlf, 1)
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise CatalogError(f"not a readable XLIFF file: {exc}", xlf, exc.position[0] if exc.position else None) from None


def import_(project: Project, language: Language, xlf: Path, document_id: str | None = None,
            partial: bool = False) -> ImportResult:
    """Take the translations of an XLIFF file into its catalog, checked unit by unit before it is written."""
    root = _parse(xlf)
    namespace = root.tag.partition("}")[0] + "}" if root.tag.startswith("{") else ""
    files = root.findall(f"{namespace}file")
    if len(files) != 1:
        raise CatalogError(f"expected one <file> element, found {len(files)}; send one file per catalog", xlf, 1)
    declared = files[0].get("target-language", "").replace("_", "-")
    from .checks import same_language
    if declared and not same_language(declared, language):
        raise UsageError(f"{xlf}: the file's target-language is {declared!r}, not {language.tag!r} (--lang "
                         f"{language.code}); check --lang")
    domain = document_id or files[0].get("original", "")
    if domain not in _domains(project):
        hint = "give --doc" if document_id is None else "check --doc"
        raise UsageError(f"{xlf}: the file names the catalog {domain!r}, which the project does not have "
                         f"({', '.join(_domains(project))}); {hint}")
    path = project.translations_dir / language.code / f"{domain}.po"
    result = ImportResult(path)
    with locked(project.root):
        raw = path.read_bytes()
        po = catalogs.parse(raw, path)
        entries = {unit_id(e): e for e in po if e.msgid and not e.obsolete}
        changes = []
        for unit in files[0].iter(f"{namespace}trans-unit"):
            uid = unit.get("id", "")
            entry = entries.get(uid)
            source = "".join(unit.find(f"{namespace}source").itertext()) if unit.find(f"{namespace}source") is not None else None
            if entry is None or entry.msgid != source:
                result.unknown.append(f"{xlf}: unit {uid!r} matches no current entry (its English changed?); skipped")
                continue
            result.matched += 1
            change = _change(entry, unit, namespace)
            if change is not None:
                changes.append((entry, *change))
        from .checks import entry_errors
        accepted = []
        for entry, text, fuzzy in changes:
            strict = not fuzzy or (entry.msgstr and "fuzzy" not in entry.flags)
            problems = entry_errors(project, language, path, entry, text, strict)
            if problems:
                result.rejected.append(f"{path}:{getattr(entry, 'msgstr_line', entry.linenum)}: [{entry.msgctxt or entry.msgid[:40]}] "
                                       f"not taken from {xlf.name}: {'; '.join(problems)}")
            else:
                accepted.append((entry, text, fuzzy))
        if not accepted or (result.rejected and not partial):
            return result
        for entry, text, fuzzy in accepted:
            entry.msgstr = text
            if fuzzy and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            elif not fuzzy:
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        result.updated = len(accepted)
        result.written = catalogs.save(po, path, raw)
    return result


def _change(entry: polib.POEntry, unit: ET.Element, namespace: str) -> tuple[str, bool] | None:
    """The unit's translation and whether it awaits review, if it says something new."""
    target = unit.find(f"{namespace}target")
    text = "".join(target.itertext()) if target is not None else ""
    if not text:
        return None
    state = target.get("state")
    if state is not None:
        fuzzy = state not in DONE
    else:
        fuzzy = unit.get("approved") == "no"
    if text == entry.msgstr and fuzzy == ("fuzzy" in entry.flags):
        return None
    return text, fuzzy
