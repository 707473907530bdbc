"""One error hierarchy. Every message a user sees starts with ``path:line:``."""

from __future__ import annotations

from pathlib import Path


class PublishError(Exception):
    """Base of every error the library raises on purpose; the CLI maps it to exit status 1."""

    exit_status = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 context: str | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.context = context
        super().__init__(str(self))

    def __reduce__(self):
        # Errors cross from worker processes: keep path, line and context, not only the text.
        return type(self).__new__, (type(self),), {**self.__dict__, "args": self.args}

    def __setstate__(self, state: dict) -> None:
        self.args = state.pop("args")
        self.__dict__.update(state)

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line if self.line else 1}: "
        ctx = f"[{self.context}] " if self.context else ""
        return f"{where}{ctx}{self.message}"


class ConfigError(PublishError):
    """The project file is missing, malformed or inconsistent."""


class SourceError(PublishError):
    """A source document cannot be read or refers to something that does not exist."""


class CatalogError(PublishError):
    """A .po or .pot file cannot be read, or one of its entries cannot be applied."""


class RenderError(PublishError):
    """A renderer (pandoc, WeasyPrint) failed or a resource was refused."""


class ReleaseError(PublishError):
    """An edition is not fit to publish (provisional data, incomplete translation)."""


class ToolError(PublishError):
    """A program the pipeline needs is missing or failed; the message names its Debian package."""


class UsageError(PublishError):
    """A command was given an option it cannot use; the CLI exits 2."""

    exit_status = 2


class ErrorList(PublishError):
    """Several problems found in one pass, reported together."""

    def __init__(self, errors: list[PublishError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def collect(errors: list[PublishError]) -> None:
    """Raise the collected errors at once, if any: one error of their common class, a line each."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        kinds = {type(e) for e in errors}
        combined = kinds.pop()("\n".join(str(e) for e in errors)) if len(kinds) == 1 else ErrorList(errors)
        combined.errors = errors
        raise combined
