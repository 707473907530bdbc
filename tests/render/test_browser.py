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


def test_on_a_phone_the_text_starts_on_the_first_screen_and_the_contents_are_one_tap_away(site, browser):
    base, project = site
    page, events = open_page(browser, f"{base}/en/common-goals.html", 390, 844)
    page.screenshot(path=str(project.build_dir / "screenshots" / "en-phone-390.png"))
    first_line = page.evaluate("document.querySelector('main .abstract p').getBoundingClientRect().top")
    assert first_line < 844 - 40                       # at least a line of text shows above the fold
    toc = page.locator("nav.toc ol.toc-list")
    assert not toc.is_visible()
    page.click("nav.toc summary")                      # one tap
    assert toc.is_visible() and page.locator('nav.toc a[href="#part-2-3"]').is_visible()
    # Notes are not justified on a narrow screen (wide gaps between long words and URLs).
    assert page.evaluate("getComputedStyle(document.querySelector('section.footnotes li p')).textAlign") in ("left", "start")
    assert events["console"] == []


def test_on_a_wide_screen_the_contents_stand_beside_the_text(site, browser):
    base, project = site
    page, _ = open_page(browser, f"{base}/en/common-goals.html", 1280, 900)
    page.screenshot(path=str(project.build_dir / "screenshots" / "en-desktop-1280.png"))
    assert page.locator('nav.toc a[href="#part-2-3"]').is_visible()
    toc = page.evaluate("document.querySelector('nav.toc').getBoundingClientRect().right")
    text = page.evaluate("document.querySelector('main').getBoundingClientRect().left")
    assert toc <= text
    assert page.evaluate("getComputedStyle(document.querySelector('main section p')).textAlign") == "justify"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_language_switcher_keeps_the_place_without_a_fragment(site, browser, width):
    base, _ = site
    page, events = open_page(browser, f"{base}/en/common-goals.html", width, 844)
    # The reader scrolls (no fragment in the address) to a little below the heading of Part II, 3.
    assert "#" not in page.url
    page.evaluate("window.scrollTo(0, document.getElementById('part-2-3').getBoundingClientRect().top + window.scrollY + 300)")
    page.wait_for_function("window.location.hash === '#part-2-3'")    # the place read, kept in the address
    page.mouse.wheel(0, -100000)                                     # back up to the switcher
    page.wait_for_function("window.scrollY === 0")
    page.click('nav.languages a[hreflang="pt-BR"]')
    page.wait_for_load_state("load")
    assert page.url.endswith("/pt/common-goals.html#part-2-3")
    assert abs(page.evaluate("document.getElementById('part-2-3').getBoundingClientRect().top")) < 5
    assert events["console"] == []


def test_on_a_phone_the_languages_and_contents_are_one_tap_away_from_anywhere(site, browser):
    """A reader deep in the text taps the floating link: the page's top, the contents open, and the
    place still in the address for the switcher. A wide screen has the contents beside the text instead."""
    base, project = site
    page, events = open_page(browser, f"{base}/es/common-goals.html", 390, 844)
    page.evaluate("window.scrollTo(0, document.getElementById('part-2-3').getBoundingClientRect().top + window.scrollY + 300)")
    page.wait_for_function("window.location.hash === '#part-2-3'")
    link = page.locator("a.to-contents")
    box = link.bounding_box()
    assert link.is_visible() and box["y"] + box["height"] <= 844 and link.inner_text().strip() == "↑ Índice"
    page.screenshot(path=str(project.build_dir / "screenshots" / "es-phone-390-reading.png"))
    link.click()
    page.wait_for_function("window.scrollY === 0")
    assert page.locator('nav.toc a[href="#part-2-3"]').is_visible() and page.url.endswith("#part-2-3")
    page.click('nav.languages a[hreflang="pt-BR"]')
    page.wait_for_load_state("load")
    assert page.url.endswith("/pt/common-goals.html#part-2-3")
    wide, _ = open_page(browser, f"{base}/es/common-goals.html", 1280, 900)
    assert not wide.locator("a.to-contents").is_visible()
    assert events["console"] == []


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
