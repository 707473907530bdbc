"""`publish serve`: the published editions on 127.0.0.1, rebuilt on save, nothing else served."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .conftest import copy_project

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str, deadline: float) -> str:
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError:
            raise
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(1)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_rebuilds_on_save_and_serves_the_published_tree_only(tmp_path):
    root = copy_project(tmp_path / "p")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "publish", "--project", str(root / "publish.toml"), "serve",
                               "--port", str(port)], cwd=root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)   # (a pipe nobody reads could fill up and stall it)
    try:
        url = f"http://127.0.0.1:{port}/en/common-goals.html"
        assert "Common Goals" in _fetch(url, deadline=240)
        for hidden in ("/.cache/", "/.cache/ast/", "/drafts/", "/en/", "/en/.common-goals.html.x.tmp"):
            assert _status(f"http://127.0.0.1:{port}{hidden}") == 404, hidden
        cached = next((root / "build" / ".cache").rglob("*.json"))
        assert _status(f"http://127.0.0.1:{port}/{cached.relative_to(root / 'build').as_posix()}") == 404
        css = root / "templates" / "css" / "screen.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* rebuilt-marker */\n", encoding="utf-8")
        deadline = time.monotonic() + 240
        while "rebuilt-marker" not in _fetch(url, deadline=60):
            assert time.monotonic() < deadline, "no rebuild after a template was saved"
            time.sleep(1)
        # A broken Plural-Forms in a catalog: that language is refused, the site stays up.
        po = root / "translations" / "es" / "templates.po"
        text = re.sub(r'"Plural-Forms: [^\\]*\\n"\n', "", po.read_text(encoding="utf-8"))
        text = re.sub(r'"Plural-Forms:.*?\\n"\n', "", text, flags=re.S)
        po.write_text(text.replace('"Language: es_419\\n"\n', '"Language: es_419\\n"\n"Plural-Forms: nplurals=2; plural=n ==;\\n"\n'),
                      encoding="utf-8")
        spanish = f"http://127.0.0.1:{port}/es/common-goals.html"
        deadline = time.monotonic() + 240
        while _status(spanish) != 404:          # the Spanish edition is refused, and leaves the site
            assert time.monotonic() < deadline and server.poll() is None, "the broken catalog was not noticed"
            time.sleep(1)
        assert server.poll() is None and "Common Goals" in _fetch(url, deadline=60)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_busy_port_or_a_port_out_of_range_is_one_line(tmp_path):
    root = copy_project(tmp_path / "p")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "publish", "--project", str(root / "publish.toml"), "serve",
                               "--port", str(port)], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"error: publish serve: --port {port}: address already in use; "
                                                "choose another with --port"]
    done = subprocess.run([sys.executable, "-m", "publish", "--project", str(root / "publish.toml"), "serve",
                           "--port", "99999"], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "a port is from 1 to 65535" in done.stderr and "Traceback" not in done.stderr
