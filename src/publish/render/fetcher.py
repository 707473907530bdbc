"""The security boundary of PDF rendering: WeasyPrint fetches only files inside the project."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

log = logging.getLogger(__name__)


class ProjectFetcher(URLFetcher):
    """Serves ``file:`` URLs below the allowed roots and ``data:`` URLs; refuses everything else."""

    def __init__(self, *roots: Path):
        super().__init__(timeout=5, allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                return self._refuse(url, "outside the project")
        elif parts.scheme != "data":
            return self._refuse(url, "not a local file")
        return super().fetch(url, headers)

    def _refuse(self, url: str, why: str):
        self.refused.append(url)
        log.warning("refused to fetch %s: %s", url, why)
        raise ValueError(f"refused to fetch {url}: {why}")
