"""The site in a real browser: Debian's Chromium, driven by Playwright, over the site served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

from ..conftest import TAGS as LANGS

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def site(built):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built.build_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", built
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    events = {"console": [], "failed": [], "external": []}
    page.on("console", lambda m: m.type == "error" and events["console"].append(m.text))
    page.on("pageerror", lambda e: events["console"].append(str(e)))
    page.on("requestfailed", lambda r: events["failed"].append(r.url))
    page.on("request", lambda r: not r.url.startswith(url.split("/", 3)[0] + "//" + url.split("/")[2])
            and not r.url.startswith("data:") and events["external"].append(r.url))
    page.goto(url, wait_until="load")
    return page, events


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_every_edition_loads_cleanly_with_screenshots(site, browser, lang):
    base, project = site
    shots = project.build_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    for name, width, height in (("desktop", 1280, 900), ("phone", 360, 800)):
        page, events = open_page(browser, f"{base}/{lang}/common-goals.html", width, height)
        assert events == {"console": [], "failed": [], "external": []}
        assert page.evaluate("document.documentElement.lang") == LANGS[lang]
        # Nothing wider than the screen, down to a 360 px phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"{lang}-{name}.png"))
        page.close()


def test_the_language_switcher_keeps_the_section(site, browser):
    base, _ = site
    page, events = open_page(browser, f"{base}/zh/common-goals.html#part-2-3")
    page.click('nav.languages a[hreflang="es-419"]')
    page.wait_for_load_state("load")
    assert page.url.endswith("/es/common-goals.html#part-2-3")
    assert page.evaluate("document.getElementById('part-2-3') !== null")
    assert events["console"] == []


def test_a_note_is_previewed_on_focus(site, browser):
    base, _ = site
    page, _ = open_page(browser, f"{base}/en/common-goals.html")
    page.focus("a.footnote-ref")
    preview = page.locator(".note-preview")
    assert preview.is_visible()
    assert "press.un.org" in preview.inner_text()
    page.keyboard.press("Escape")
    assert page.locator(".note-preview").count() == 0


def test_the_index_chooses_a_language(site, browser):
    base, _ = site
    page, events = open_page(browser, f"{base}/index.html")
    assert events["console"] == [] and events["external"] == []
    page.click('a.edition[hreflang="pt-BR"]')
    page.wait_for_load_state("load")
    assert page.url.endswith("/pt/common-goals.html")
