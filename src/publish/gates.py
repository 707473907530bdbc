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
           ignore_qa: bool = False) -> Verdict:
    """The verdict on one edition. ``facts``: what its preparation found (``Edition.facts``); ``findings``:
    QA over the catalogs it uses (its document's and the templates')."""
    refusals: list[str] = []
    # The override skips the QA gate, never the trust boundary's checks.
    errors = [f for f in findings if f.severity == ERROR and (f.security or not ignore_qa)]
    if errors:
        by_file: dict[str, int] = {}
        for finding in errors:
            by_file[finding.file] = by_file.get(finding.file, 0) + 1
        for file, count in by_file.items():
            first = next(f for f in errors if f.file == file)
            refusals.append(f"{file}:{first.line}: {count} QA error{'s' if count != 1 else ''} "
                            f"(`publish check --po {file}` lists them)")
    if release and facts["provisional"]:
        refusals.append(f"figures {', '.join(facts['provisional'])} are drawn from unverified data; an editor "
                        "must verify the CSV values (verified = yes) before release")
    if refusals:
        return Verdict(REFUSED, tuple(refusals))
    if not is_source and facts["percent"] < language.min_completeness:
        return Verdict(IN_PROGRESS, (f"{facts['percent']:.0f}% translated, below the {language.min_completeness:g}% "
                                     "that min-completeness in publish.toml asks for publication",))
    if release and not is_source and facts["percent"] < language.release_completeness:
        return Verdict(NOT_RELEASED, (f"{facts['percent']:.0f}% translated, below the "
                                      f"{language.release_completeness:g}% that release-completeness in "
                                      "publish.toml asks for a release",))
    return Verdict(PUBLISHED)
