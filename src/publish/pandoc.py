"""The one place that runs pandoc (the binary shipped by pypandoc-binary)."""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
from functools import cache
from pathlib import Path

from .errors import RenderError, SourceError

CODEC = Path(__file__).with_name("codec.lua")
RESOLVE = Path(__file__).with_name("resolve.lua")
API_VERSION = [1, 23, 1, 1]
MARKDOWN = "markdown"


@cache
def executable() -> str:
    """The pandoc that pypandoc-binary ships, found without importing pypandoc (0.1 s of imports)."""
    from importlib.util import find_spec
    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        shipped = Path(folder) / "files" / "pandoc"
        if shipped.is_file():
            return str(shipped)
    import pypandoc
    return pypandoc.get_pandoc_path()


def version() -> str:
    """The pandoc binary, as a key input: its path, size and modification time."""
    from .tools import file_stamp
    return file_stamp(executable())


def _environment(epoch: int | None) -> dict[str, str] | None:
    """pandoc's environment: this process's, with the build's SOURCE_DATE_EPOCH when it has one (pandoc
    stamps the EPUB's modification date with it)."""
    return {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else None


def run(args: list[str], input: bytes | None = None, path: Path | None = None, epoch: int | None = None) -> bytes:
    """Run pandoc; a failure becomes a RenderError naming ``path`` (the input concerned)."""
    result = subprocess.run([executable(), *args], input=input, capture_output=True, env=_environment(epoch))
    if result.returncode != 0:
        raise RenderError(f"pandoc failed: {_reason(result)}", path)
    return result.stdout


def _reason(result: subprocess.CompletedProcess) -> str:
    detail = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode < 0:
        name = signal.Signals(-result.returncode).name
        return f"killed by {name}" + (f" ({detail})" if detail else "") + (
            "; a file-size limit (SIGXFSZ) or lack of memory (SIGKILL) are the usual causes")
    return detail or f"exit status {result.returncode}"


def read_markdown(path: Path) -> dict:
    """Parse a Markdown file into pandoc's AST (as JSON data)."""
    try:
        text = path.read_bytes()
        text.decode("utf-8")
    except FileNotFoundError:
        raise SourceError("source file not found", path) from None
    except UnicodeDecodeError as exc:
        line = text[:exc.start].count(b"\n") + 1
        raise SourceError(f"not UTF-8 text (byte {exc.object[exc.start]:#x})", path, line) from None
    result = subprocess.run([executable(), "-f", MARKDOWN, "-t", "json"], input=text, capture_output=True)
    if result.returncode != 0:
        raise SourceError(f"pandoc cannot read it: {_reason(result)}", path)
    for warning in result.stderr.decode("utf-8", "replace").splitlines():
        # A note defined twice silently loses one definition: an error, with its line.
        match = re.search(r"Duplicate note reference '([^']*)' at line (\d+)", warning)
        if match:
            raise SourceError(f"note [^{match.group(1)}] is defined twice", path, int(match.group(2)))
    return json.loads(result.stdout)


def copy_ast(node):
    """An independent copy of an AST fragment, made in memory (five times faster than copy.deepcopy)."""
    return pickle.loads(pickle.dumps(node, pickle.HIGHEST_PROTOCOL))


def compact(node):
    """The same document with each run of words in one Str ("a b c" for Str a, Space, Str b, ...).

    pandoc's cost is per AST node, and a word-level AST of Latin text has three times the nodes: pandoc
    reads and writes a compact one in a third of the time, and writes the same HTML. Spaces at either
    end of a run, and a word right after a citation or note, stay as they are: citeproc moves
    punctuation and removes spaces around the notes it makes, and must see them as pandoc made them.
    """
    if isinstance(node, dict):
        if "blocks" in node:                                      # a whole document
            return {**node, "meta": {k: compact(v) for k, v in node.get("meta", {}).items()},
                    "blocks": compact(node["blocks"])}
        if node.get("t") == "Cite" or "c" not in node:
            return node
        return {**node, "c": compact(node["c"])}
    if not isinstance(node, list):
        return node
    out: list = []
    run: list = []                  # Str and Space nodes not yet merged
    for item in node:
        tag = item.get("t") if isinstance(item, dict) else None
        if tag in ("Str", "Space"):
            run.append(item)
            continue
        _merge_run(run, out)
        run = []
        out.append(compact(item))
    _merge_run(run, out)
    return out


def _merge_run(run: list, out: list) -> None:
    start, end = 0, len(run)
    if out and isinstance(out[-1], dict) and out[-1].get("t") in ("Cite", "Note"):
        start = 1                  # the word after a note call stays a node of its own
    while start < end and run[start]["t"] == "Space":
        start += 1
    while end > start and run[end - 1]["t"] == "Space":
        end -= 1
    out.extend(run[:start])
    if end - start > 1:
        out.append({"t": "Str", "c": "".join(" " if i["t"] == "Space" else i["c"] for i in run[start:end])})
    else:
        out.extend(run[start:end])
    out.extend(run[end:])


def document(blocks: list, meta: dict | None = None) -> dict:
    return {"pandoc-api-version": API_VERSION, "meta": meta or {}, "blocks": blocks}


def convert(doc: dict, args: list[str], path: Path | None = None, epoch: int | None = None) -> bytes:
    """Feed an AST to pandoc with the given output arguments."""
    return run(["-f", "json", *args], input=json.dumps(doc).encode(), path=path, epoch=epoch)


def resolve(doc: dict, meta: dict, template: Path | None = None, notes: dict[str, str] | None = None,
            path: Path | None = None, note_calls: str | None = None) -> tuple[dict, dict[str, str]]:
    """Resolve the citations of ``doc`` (citeproc, with the bibliography, CSL and lang set in ``meta``),
    and write it as HTML through ``template``: once per name in ``notes``, whose value says where the
    notes go ("end": linked endnotes, "inline": a span at the call); ``note_calls``: the side of a
    punctuation mark every note's call goes ("before" or "after"). One process, one read of the AST."""
    request = {"doc": json.dumps(doc), "meta": meta, "template": str(template) if template else None,
               "html": {name: {"notes": where} for name, where in (notes or {}).items()}, "note_calls": note_calls}
    out = json.loads(run(["lua", str(RESOLVE)], input=json.dumps(request).encode(), path=path))
    return json.loads(out["doc"]), out["html"] or {}


def read_many(texts: list[str], format: str = MARKDOWN) -> list[dict | str]:
    """Parse many Markdown snippets in one process: each becomes a document, or an error message."""
    return _codec("read", texts, decode=True, format=format)


def write_many(docs: list[dict]) -> list[str | None]:
    """Write many documents as Markdown in one process."""
    return _codec("write", [json.dumps(d) for d in docs], decode=False)


def _codec(op: str, items: list[str], decode: bool, format: str = MARKDOWN) -> list:
    if not items:
        return []
    request = json.dumps({"op": op, "items": items, "format": format}).encode()
    raw = json.loads(run(["lua", str(CODEC)], input=request))
    out: list = []
    for item in raw:
        if isinstance(item, dict):
            out.append(str(item.get("error", "unknown error")))
        else:
            out.append(json.loads(item) if decode else item)
    return out
