"""`publish serve`: the published editions on 127.0.0.1, rebuilt whenever a source, catalog or template is saved."""

from __future__ import annotations

import functools
import http.server
import logging
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import BuildOptions, build
from .errors import PublishError, ToolError
from .project import Project

log = logging.getLogger(__name__)
HIDDEN = ("drafts", "dist", "xliff")        # folders of build/ that are not the site


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the published tree only: never the cache, temporary files, or (unless asked) the drafts."""

    drafts = False

    def send_head(self):
        parts = [p for p in unquote(urlsplit(self.path).path).split("/") if p]
        hidden = set(HIDDEN) - ({"drafts"} if self.drafts else set())
        if any(p.startswith(".") for p in parts) or (parts and parts[0] in hidden):
            self.send_error(404, "Not found")
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(404, "Not found")          # no listings: the index page links every edition
        return None

    def log_message(self, format, *args):
        log.debug("%s - %s", self.address_string(), format % args)


def serve(project: Project, port: int = 8000, drafts: bool = False, interval: float = 1.0) -> None:
    """Serve build/ on 127.0.0.1 and rebuild what changed whenever a source, catalog or template is saved."""
    watched = [project.path, project.root / "source", project.translations_dir, project.templates_dir]

    def snapshot() -> dict[Path, float]:
        files: dict[Path, float] = {}
        for root in watched:
            for path in ([root] if root.is_file() else root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path] = path.stat().st_mtime
        return files

    handler = functools.partial(type("Handler", (_SiteHandler,), {"drafts": drafts}),
                                directory=str(project.build_dir))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise ToolError(f"publish serve: --port {port}: {exc.strerror.lower()}; choose another with --port") from None
    seen = snapshot()        # before the build: a save during it is caught by the next round
    _rebuild(project)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("serving %s on http://127.0.0.1:%d/ (Ctrl-C to stop)", project.build_dir, server.server_address[1])
    try:
        while True:
            time.sleep(interval)
            now = snapshot()
            if now != seen:
                seen = now
                _rebuild(project)
    finally:
        server.shutdown()
        server.server_close()


def _rebuild(project: Project) -> None:
    """A build whose failure is reported and leaves the site up with what was published before."""
    try:
        result = build(project, BuildOptions())
    except PublishError as exc:
        log.error("%s", exc)
        return
    for error in result.errors:
        log.error("%s", error)
    for (doc, lang), verdict in sorted(result.verdicts.items()):
        if verdict.failed:
            log.error("%s (%s): refused: %s", doc, lang, "; ".join(verdict.reasons))
