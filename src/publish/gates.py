"""The gates an edition passes to be published, decided on every build from what it is and what QA found.

- in progress: below its language's ``min-completeness``: a draft, reported, not a failure;
- not released: a release, and below the language's ``release-completeness``: a draft, listed, and it
  does not stop the release of the others;
- refused: QA errors in the catalogs it uses (the trust boundary's whatever the override says), or (in a
  release) figures drawn from unverified data: a draft, and the build fails, naming every reason at once;
- published: none of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import ERROR, Finding
from .project import Language

PUBLISHED, IN_PROGRESS, NOT_RELEASED, REFUSED = "published", "in progress", "not released", "refused"


@dataclass(frozen=True)
class Verdict:
    state: str
    reasons: tuple[str, ...] = ()

    @property
    def published(self) -> bool:
        return self.state == PUBLISHED

    @property
    def failed(self) -> bool:
        return self.state == REFUSED


def decide(language: Language, is_source: bool, facts: dict, findings: list[Finding], release: bool,
           overrides: list = (), waived: dict | None = None, root: Path | None = None) -> Verdict:
    """The verdict on one edition. ``facts``: what its preparation found (``Edition.facts``); ``findings``:
    QA over the catalogs it uses (its document's and the templates'); ``overrides``: the QA overrides of
    publish.toml, which waive the errors they match (never a trust-boundary check's), counted in ``waived``;
    ``root``: the project's folder, which the reasons name files from (a draft's pages show them to its
    translators, not the builder's own folders)."""
    refusals: list[str] = []
    errors = []
    for finding in (f for f in findings if f.severity == ERROR):
        override = waiver(finding, language.code, overrides)
        if override is None:
            errors.append(finding)
        elif waived is not None:
            waived.setdefault(override, []).append(finding)
    if errors:
        by_file: dict[str, int] = {}
        for finding in errors:
            by_file[finding.file] = by_file.get(finding.file, 0) + 1
        for file, count in by_file.items():
            first = next(f for f in errors if f.file == file)
            named = Path(file).relative_to(root) if root and Path(file).is_relative_to(root) else file
            refusals.append(f"{named}:{first.line}: {count} QA error{'s' if count != 1 else ''} "
                            f"(`publish check --po {named}` lists them)")
    if release and facts["provisional"]:
        refusals.append(f"figures {', '.join(facts['provisional'])} are drawn from unverified data; an editor "
                        "must verify the CSV values (verified = yes) before release")
    incomplete = None
    if not is_source and facts["percent"] < language.min_completeness:
        incomplete = Verdict(IN_PROGRESS, (f"{facts['percent']:.0f}% translated, below the "
                                           f"{language.min_completeness:g}% that min-completeness in publish.toml "
                                           "asks for publication",))
    elif release and not is_source and facts["percent"] < language.release_completeness:
        incomplete = Verdict(NOT_RELEASED, (f"{facts['percent']:.0f}% translated, below the "
                                            f"{language.release_completeness:g}% that release-completeness in "
                                            "publish.toml asks for a release",))
    if refusals:              # every reason at once, the edition's completeness included
        return Verdict(REFUSED, tuple(refusals) + (incomplete.reasons if incomplete else ()))
    return incomplete or Verdict(PUBLISHED)


def waiver(finding: Finding, language: str, overrides) -> "object | None":
    """The QA override that waives an error, if one does (never a trust-boundary check's)."""
    if finding.severity != ERROR or finding.security:
        return None
    return next((o for o in overrides if o.matches(finding, language)), None)


def waived(findings: list[Finding], language_of, overrides) -> list[Finding]:
    """The findings as `publish check` reports them: an error an override waives is a warning that names
    the override's line in publish.toml and its reason. ``language_of``: a finding's language code."""
    from dataclasses import replace
    shown = []
    for finding in findings:
        override = waiver(finding, language_of(finding), overrides)
        shown.append(finding if override is None else
                     replace(finding, severity="warning",
                             message=f"{finding.message} (waived by publish.toml:{override.line}: {override.reason})"))
    return shown


def check_overrides(project) -> None:
    """Each QA override names a check that exists and is no trust-boundary check."""
    from .checks import REGISTRY, _register
    from .errors import ConfigError, collect
    _register()
    allowed = sorted(c for c, k in REGISTRY.items() if not k.security and k.severity == ERROR)
    collect([ConfigError(f"check {o.check!r} cannot be overridden ("
                         f"{'a trust-boundary check' if o.check in REGISTRY else 'no such check'}); the checks an "
                         f"override may name: {', '.join(allowed)}", project.path, o.line)
             for o in project.qa_overrides if o.check is not None and o.check not in allowed])
