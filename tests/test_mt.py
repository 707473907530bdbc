"""Machine-translation pre-fill through deep-translator's own LibreTranslate client, against a small
translation server started on 127.0.0.1. No test touches the network."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from publish import catalog
from publish.cli import main
from publish.mt import ENGINES, engine_code, prefill, protect, restore
from publish.project import load_project



class Translator(BaseHTTPRequestHandler):
    """POST /translate?q=...: answers "[es] <text>", keeping every {n} placeholder, unless told otherwise."""

    mode = "ok"
    answered = 0
    fail_after = 10 ** 9

    def do_POST(self):
        server = self.server
        params = parse_qs(urlsplit(self.path).query)
        length = int(self.headers.get("Content-Length") or 0)
        params.update(parse_qs(self.rfile.read(length).decode()))
        text = params.get("q", [""])[0]
        if server.mode == "slow":
            time.sleep(3)
        if server.answered >= server.fail_after:
            self.send_response(500)
            self.end_headers()
            return
        server.answered += 1
        out = f"[{params['target'][0]}] {text}"
        if server.mode == "mangle":
            out = out.replace("{0}", "(0)")
        body = json.dumps({"translatedText": out}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if urlsplit(self.path).path != "/languages":
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps([{"code": c, "name": c, "targets": []} for c in ("ca", "en", "es", "fr", "pt", "zh")]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Translator)
    httpd.mode, httpd.answered, httpd.fail_after = "ok", 0, 10 ** 9
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


@pytest.fixture
def mt_project(tmp_path):
    """A small project: the fixture corpus document with a Spanish catalog, one entry already translated."""
    root = tmp_path / "p"
    (root / "source").mkdir(parents=True)
    (root / "source" / "doc.md").write_text("# One {#one}\n\nRepeated paragraph.\n\n# Two {#two}\n\n"
                                            "Repeated paragraph.\n\nSee 12 cases [@smith2020, p. 3].\n",
                                            encoding="utf-8")
    (root / "publish.toml").write_text(
        '[project]\nsource-language = "en"\n\n[[documents]]\nid = "doc"\nsource = "source/doc.md"\n\n'
        '[[languages]]\ncode = "en"\ntag = "en"\n\n[[languages]]\ncode = "es"\ntag = "es-419"\n', encoding="utf-8")
    project = load_project(root / "publish.toml")
    from publish.source import load
    from publish.update import update_catalogs
    update_catalogs(project, {"doc": load(project.documents[0].source)}, force=True)
    path = project.catalog_path("doc", "es")
    po = catalog.read(path)
    po[0].msgstr = "Uno"                       # a reviewed translation
    po[1].msgstr, po[1].flags = "Párrafo repetido (borrador).", ["fuzzy"]
    path.write_bytes(catalog.render(po))
    return project


def url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"      # no trailing slash: the engine adds it


def test_fills_only_untranslated_entries_and_marks_them_fuzzy(server, mt_project):
    results = prefill(mt_project, "es", "libre", endpoint=url(server), timeout=5)
    assert results[0].error is None and results[0].filled == 3 and results[0].left == 0
    po = catalog.read(mt_project.catalog_path("doc", "es"))
    assert po[0].msgstr == "Uno" and "fuzzy" not in po[0].flags
    assert po[1].msgstr == "Párrafo repetido (borrador)."
    for entry in po[2:]:
        assert entry.msgstr == f"[es] {entry.msgid}"
        assert "fuzzy" in entry.flags
        assert "Machine translation (libre, " in entry.comment
    assert catalog.stats(po).translated == 1


def test_the_pages_own_words_are_filled_too_their_placeholders_kept(server, project_copy):
    """templates.po (contents, edition, figure labels) is pre-filled with the documents' catalogs; a
    placeholder such as {date} goes through the engine untouched."""
    templates = project_copy.translations_dir / "es" / "templates.po"
    po = catalog.read(templates)
    next(e for e in po if e.msgid == "Edition of {date}.").msgstr = ""
    templates.write_bytes(catalog.render(po))
    results = prefill(project_copy, "es", "libre", endpoint=url(server), timeout=5)
    assert [(r.path, r.error) for r in results][-1] == (templates, None) and results[-1].filled == 1
    filled = next(e for e in catalog.read(templates) if e.msgid == "Edition of {date}.")
    assert filled.msgstr == "[es] Edition of {date}." and "fuzzy" in filled.flags


def test_protected_parts_survive_and_mangled_answers_are_rejected(server, mt_project):
    text = 'See [the report](https://example.org/a "T") [see @smith2020, p. 3] with 12,614 and *emphasis*[^1].'
    protected, spans = protect(text)
    assert "@smith2020" not in protected and "https://" not in protected and "12,614" not in protected
    assert restore(protected, spans) == text
    assert restore(protected.replace("{1}", ""), spans) is None
    attributes = "The [Common Goals]{lang=en} report, edition of {date}."     # no word inside braces goes out
    protected, spans = protect(attributes)
    assert "lang" not in protected and "date" not in protected and restore(protected, spans) == attributes
    server.mode = "mangle"          # the server turns {0} into (0)
    result = prefill(mt_project, "es", "libre", endpoint=url(server), timeout=5)[0]
    assert len(result.rejected) == 1
    assert "[two/p2] protected parts did not come back intact" in result.rejected[0]
    po = catalog.read(mt_project.catalog_path("doc", "es"))
    entry = po.find("See 12 cases [@smith2020, p.\u00a03].", msgctxt="two/p2")
    assert entry.msgstr == "" and "fuzzy" not in entry.flags
    assert result.left == 1


def test_server_failing_half_way_keeps_what_was_answered(server, mt_project):
    path = mt_project.catalog_path("doc", "es")
    server.fail_after = 1
    result = prefill(mt_project, "es", "libre", endpoint=url(server), timeout=5, batch=1)[0]
    assert result.error and "INTERNAL_SERVER_ERROR" in result.error
    po = catalog.read(path)
    assert sum("Machine translation" in (e.comment or "") for e in po) == 1
    server.fail_after = 10 ** 9
    again = prefill(mt_project, "es", "libre", endpoint=url(server), timeout=5)[0]
    assert again.error is None and again.left == 0 and again.filled == 2


def test_timeout_is_enforced(server, mt_project):
    server.mode = "slow"
    start = time.monotonic()
    result = prefill(mt_project, "es", "libre", endpoint=url(server), timeout=0.5)[0]
    assert "no answer within 0.5 s" in result.error
    assert time.monotonic() - start < 10


def test_no_network_fails_fast_and_leaves_the_file_byte_identical(mt_project, capsys):
    with socket.socket() as probe:                      # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = mt_project.catalog_path("doc", "es")
    before = path.read_bytes()
    start = time.monotonic()
    status = main(["--project", str(mt_project.path), "mt", "--lang", "es", "--engine", "libre",
                   "--endpoint", f"http://127.0.0.1:{port}", "--timeout", "2"])
    assert status == 1
    assert time.monotonic() - start < 5
    assert "cannot reach the engine" in capsys.readouterr().err
    assert path.read_bytes() == before


@pytest.mark.parametrize("tag,offered,code", [
    ("es-419", ["en", "es", "pt", "zh"], "es"), ("pt-BR", ["en", "pt", "pt-pt"], "pt"),
    ("zh-Hans", ["zh-CN", "zh-TW", "en"], "zh-CN"), ("zh-Hant", ["zh-CN", "zh-TW"], "zh-TW"),
    ("zh-Hans", ["zh-Hans", "zh-Hant"], "zh-Hans"), ("pt-BR", ["pt-BR", "pt-PT"], "pt-BR"),
    ("fr-FR", ["en", "fr"], "fr"), ("zh-CN", ["zh-Hans"], "zh-Hans")])
def test_a_language_is_matched_on_bcp_47(tag, offered, code):
    assert engine_code(tag, offered) == code


def test_an_unoffered_language_names_the_nearest_offered_codes():
    from publish.errors import UsageError
    with pytest.raises(UsageError, match=r"engine 'x' does not offer pt-BR; the nearest it offers: pt-AO, pt-PT"):
        engine_code("pt-BR", ["pt-PT", "pt-AO", "en"], "x")


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_offers_a_language_added_to_the_project(name):
    """French, added with one [[languages]] table, is offered by every engine (deep-translator's lists)."""
    if name in ("microsoft", "libre"):
        pytest.skip("asks the engine itself for its languages (tested against a local server below)")
    assert engine_code("fr-FR", ENGINES[name].languages(None), name) in ("fr", "fr-FR")


def test_libre_asks_its_server_which_languages_it_offers(server):
    assert ENGINES["libre"].languages(url(server)) == ["ca", "en", "es", "fr", "pt", "zh"]


def test_a_language_only_the_server_offers_is_translated(server, mt_project):
    """Catalan: on this server's list, not in deep-translator's own."""
    from deep_translator.constants import LIBRE_LANGUAGES_TO_CODES
    assert "ca" not in LIBRE_LANGUAGES_TO_CODES.values()
    mt_project.path.write_text(mt_project.path.read_text(encoding="utf-8")
                               + '\n[[languages]]\ncode = "ca"\ntag = "ca-ES"\n', encoding="utf-8")
    project = load_project(mt_project.path)
    from publish.source import load
    from publish.update import update_catalogs
    update_catalogs(project, {"doc": load(project.documents[0].source)}, force=True)
    result = prefill(project, "ca", "libre", endpoint=url(server), timeout=5)[0]
    assert result.error is None and result.filled == 5
    assert all(e.msgstr == f"[ca] {e.msgid}" for e in catalog.read(project.catalog_path("doc", "ca")))


class Refusing(BaseHTTPRequestHandler):
    """Answers every request with the server's status (401, 403 or 500)."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "refused"}')

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


SECRETS = {"LIBRE_API_KEY": "LIBRE-SECRET-0001", "DEEPL_API_KEY": "DEEPL-SECRET-0002",
           "MICROSOFT_API_KEY": "MICROSOFT-SECRET-0003"}


@pytest.mark.parametrize("status", ["down", 401, 403, 500])
@pytest.mark.parametrize("name", sorted(ENGINES))
def test_no_key_and_no_text_is_ever_printed(mt_project, monkeypatch, capsys, name, status):
    for variable, secret in SECRETS.items():
        monkeypatch.setenv(variable, secret)
    if status == "down":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}"
        httpd = None
    else:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
        httpd.status = status
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        endpoint = f"http://127.0.0.1:{httpd.server_address[1]}"
    path = mt_project.catalog_path("doc", "es")
    before = path.read_bytes()
    monkeypatch.setattr("publish.mt.BACKOFF", 0.01)
    try:
        code = main(["--project", str(mt_project.path), "mt", "--lang", "es", "--engine", name, "--endpoint", endpoint,
                     "--timeout", "5"])
    finally:
        if httpd is not None:
            httpd.shutdown()
    out = capsys.readouterr()
    said = out.out + out.err
    assert code == 1, said
    for secret in SECRETS.values():
        assert secret not in said
    assert "Repeated" not in said and "Traceback" not in said        # nor the text that was sent
    assert [line for line in out.err.splitlines() if line.startswith("error: ")], said
    assert path.read_bytes() == before
