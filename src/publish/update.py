"""update-po: extract the templates (.pot) and merge them into every language's catalog."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog as catalogs
from . import i18n
from .errors import PublishError
from .project import Project
from .source import Source

log = logging.getLogger(__name__)


@dataclass
class UpdateResult:
    written: list[Path]
    reports: dict[str, catalogs.MergeReport]
    errors: list[PublishError] = field(default_factory=list)   # catalogs that could not be merged (left as they are)


def update_catalogs(project: Project, sources: dict[str, Source], only_if_changed: dict | None = None) -> UpdateResult:
    """Re-extract and merge. With ``only_if_changed`` (a state dict), skip domains whose input is unchanged."""
    written: list[Path] = []
    reports: dict[str, catalogs.MergeReport] = {}
    errors: list[PublishError] = []
    domains: list[tuple[str, str, callable]] = []
    for doc in project.documents:
        source = sources[doc.id]
        rel = source.path.relative_to(project.root).as_posix()
        domains.append((doc.id, source.key, lambda source=source, rel=rel: catalogs.make_template(
            source.segments(), rel, source.path.stem, source.key)))
    templates_key = i18n_key(project)
    domains.append((i18n.DOMAIN, templates_key,
                    lambda: i18n.extract_template(project.templates_dir, i18n.DOMAIN)))
    for domain, key, make in domains:
        pot_path = project.translations_dir / f"{domain}.pot"
        targets = [project.translations_dir / lang.code / f"{domain}.po" for lang in project.targets]
        state_key = f"pot/{domain}"
        if only_if_changed is not None and only_if_changed.get(state_key) == key \
                and pot_path.exists() and all(t.exists() for t in targets):
            continue
        # A build takes a document's template as it is when its stamp says it is the extraction of this
        # very source (update-po extracts again whatever the stamp says). The templates' own .pot has no
        # stamp, and is extracted at every build: a stamp keyed on the templates folder would change with
        # any stylesheet edit, rewrite every templates.po, and with them rebuild every edition.
        template = catalogs.current_template(pot_path, key) if only_if_changed is not None else None
        if template is None:
            template = make()
            if catalogs.save(template, pot_path):
                written.append(pot_path)
        failed = False
        stamp = template.metadata.get(catalogs.SOURCE_HEADER)
        for lang, target in zip(project.targets, targets):
            try:
                old = catalogs.read(target) if target.exists() else None
            except PublishError as exc:      # a broken catalog is reported and left byte for byte as it is
                errors.append(exc)
                failed = True
                continue
            if only_if_changed is not None and stamp and old is not None \
                    and old.metadata.get(catalogs.SOURCE_HEADER) == stamp:
                continue                     # merged with this very template already
            merged, report = catalogs.merge(template, old, lang.tag)
            reports[f"{lang.code}/{domain}"] = report
            if catalogs.save(merged, target, previous=old):
                written.append(target)
                log.info("merged %s: %d kept, %d moved, %d fuzzy, %d obsolete, %d new", target.relative_to(project.root),
                         report.kept, report.moved, report.fuzzy, report.obsoleted, report.new)
        if only_if_changed is not None and not failed:
            only_if_changed[state_key] = key
    return UpdateResult(written, reports, errors)


def i18n_key(project: Project) -> str:
    from .fsutil import tree_digest
    return tree_digest(project.templates_dir)
