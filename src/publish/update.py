"""update-po: extract the templates (.pot) and merge them into every language's catalog.

A build runs the same update first. What is in sync is recognised from the cache (the template made
from these source bytes; the catalog of these bytes merged with this template), so an unchanged
project reads no catalog; ``update-po`` extracts and merges everything whatever the cache says.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polib

from . import catalog as catalogs
from . import bibliography, i18n, pandoc, tools
from .cache import Cache, code, digest, file_digest
from .errors import PublishError
from .project import Project
from .source import Source, segments

log = logging.getLogger(__name__)


@dataclass
class UpdateResult:
    written: list[Path] = field(default_factory=list)
    reports: dict[Path, catalogs.MergeReport] = field(default_factory=dict)
    errors: list[PublishError] = field(default_factory=list)   # catalogs that could not be merged (left as they are)


def update_catalogs(project: Project, sources: dict[str, Source], cache: Cache | None = None,
                    force: bool = False, epoch: int | None = None) -> UpdateResult:
    """Extract each domain's template and merge it into each language's catalog, writing what changed."""
    result = UpdateResult()
    cache = cache if cache is not None and not force else Cache(None)
    for domain, make in _domains(project, sources, cache, epoch):
        try:
            pot_path, pot_bytes = _template(project, domain, make, result)
        except PublishError as exc:
            result.errors.append(exc)
            continue
        template: polib.POFile | None = None
        for language in project.targets:
            path = project.translations_dir / language.code / f"{domain}.po"
            raw = path.read_bytes() if path.exists() else None
            key = digest(code("catalog"), file_digest(pot_path), digest(raw) if raw is not None else "-", language.tag)
            if cache.get("merged", key):
                continue
            try:
                old = catalogs.parse(raw, path) if raw is not None else None
                template = template or catalogs.parse(pot_bytes, pot_path)
                merged, report = catalogs.merge(template, old, language.tag, language.name, epoch)
                if catalogs.save(merged, path, raw, old):
                    result.written.append(path)
                    result.reports[path] = report
                    raw = path.read_bytes()
            except PublishError as exc:       # a broken catalog is reported and left byte for byte as it is
                result.errors.append(exc)
                continue
            cache.put("merged", digest(code("catalog"), file_digest(pot_path), digest(raw), language.tag), True)
    return result


def _domains(project: Project, sources: dict[str, Source], cache: Cache, epoch: int | None
             ) -> list[tuple[str, Callable[[], bytes]]]:
    """Each domain (a document's, the templates') and how to make its template's bytes (from the cache
    when the inputs are the same)."""
    domains = []
    for doc in project.documents:
        if doc.id not in sources:
            continue                        # (its source could not be read: reported already)
        source = sources[doc.id]

        def make(source=source, doc=doc) -> bytes:
            rel = source.path.relative_to(project.root).as_posix()
            bib = doc.bibliography
            bib_rel = bib.relative_to(project.root).as_posix() if bib is not None else ""
            key = digest(code("catalog", "segments", "source", "bibliography"), pandoc.version(), source.digest, rel,
                         doc.id, file_digest(bib), bib_rel)
            kept = cache.get("template", key)
            if kept is None:
                units = segments(source, cache) + (bibliography.units(bib, bib_rel) if bib is not None else [])
                kept = catalogs.render(catalogs.make_template(units, rel, doc.id)).decode("utf-8")
                cache.put("template", key, kept)
            return kept.encode("utf-8")
        domains.append((doc.id, make))

    def make_templates() -> bytes:
        files = sorted(p for p in project.templates_dir.rglob("*") if p.is_file())
        key = digest(code("i18n", "catalog"), tools.distributions("Babel", "Jinja2"),
                     *(f"{p.relative_to(project.templates_dir)}:{file_digest(p)}" for p in files))
        kept = cache.get("template", key)
        if kept is None:
            kept = catalogs.render(i18n.extract_template(project.templates_dir, i18n.DOMAIN, epoch)).decode("utf-8")
            cache.put("template", key, kept)
        return kept.encode("utf-8")
    if project.templates_dir.is_dir():
        domains.append((i18n.DOMAIN, make_templates))
    return domains


def _template(project: Project, domain: str, make: Callable[[], bytes], result: UpdateResult) -> tuple[Path, bytes]:
    """The domain's .pot, written if its entries changed; its path and bytes."""
    path = project.translations_dir / f"{domain}.pot"
    made = make()
    current = path.read_bytes() if path.exists() else None
    if current is not None and catalogs.same_content(current, made):
        return path, current
    from .fsutil import write_atomic
    write_atomic(path, made)
    result.written.append(path)
    return path, made
