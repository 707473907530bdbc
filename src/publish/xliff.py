"""XLIFF hand-off to translation vendors, through Translate Toolkit's XLIFF store.

Each trans-unit's id is the entry's msgctxt, so that a file coming back is matched entry by entry
and goes through the same checks as any catalog before it is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translate.storage import xliff

from . import catalog as catalogs
from .errors import CatalogError
from .fsutil import write_atomic
from .project import Language, Project


def export(project: Project, language: Language, out_dir: Path) -> list[Path]:
    written = []
    for document in project.documents:
        po = catalogs.read(project.catalog_path(document, language))
        store = xliff.xlifffile(sourcelanguage=project.source.tag, targetlanguage=language.tag)
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            unit = store.UnitClass(entry.msgid)
            store.addunit(unit)
            unit.setid(entry.msgctxt)
            if entry.msgstr:
                unit.target = entry.msgstr
            unit.markfuzzy("fuzzy" in entry.flags or not entry.msgstr)
            if entry.comment:
                unit.addnote(entry.comment, origin="developer")
            for path, line in entry.occurrences:
                unit.addlocation(f"{path}:{line}")
        store.setfilename(store.getfilenode("NoName"), f"{document.id}.po")
        target = out_dir / language.code / f"{document.id}.xlf"
        write_atomic(target, bytes(store))
        written.append(target)
    return written


@dataclass
class ImportResult:
    path: Path
    updated: int = 0
    unknown: list[str] = field(default_factory=list)     # ids with no entry (or a changed source)


def import_(project: Project, language: Language, xlf: Path, document_id: str | None = None) -> ImportResult:
    """Take the translations of an XLIFF file into the catalog (atomically); fuzzy units stay fuzzy."""
    document = project.document(document_id or xlf.stem)
    path = project.catalog_path(document, language)
    try:
        store = xliff.xlifffile.parsefile(str(xlf))
    except Exception as exc:      # lxml's and Translate Toolkit's parse errors alike
        raise CatalogError(f"not a readable XLIFF file: {exc}", xlf) from None
    po = catalogs.read(path)
    entries = {e.msgctxt: e for e in po if not e.obsolete}
    result = ImportResult(path)
    for unit in store.unit_iter():
        unit_id = unit.getid().rpartition("\x04")[2]     # Translate Toolkit prefixes the file name
        entry = entries.get(unit_id)
        if entry is None or entry.msgid != unit.source:
            result.unknown.append(unit_id)
            continue
        target = unit.target or ""
        if not target or target == entry.msgstr and ("fuzzy" in entry.flags) == unit.isfuzzy():
            continue
        entry.msgstr = target
        if unit.isfuzzy() and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        elif not unit.isfuzzy() and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        result.updated += 1
    catalogs.save(po, path)
    return result
