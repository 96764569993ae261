"""How long ``profilesmith lsp`` takes per keystroke: from a didChange to its diagnostics,
with no debounce, on real files; and the cost of hover and completion there.

    python bench/lsp_change.py                        # the largest real profile and DDM
                                                      # declaration, and a 2 MB profile
    python bench/lsp_change.py FILE... [--changes 40]

Each change alternates between the file and the file with one character changed, so
every lint does the whole work (reader, schemas, rules) and every publish is fresh.
Wall-clock times on a shared machine are noisy: the median and the range are printed,
with the in-process lint of the same text for comparison (what the worker thread does).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from profilesmith.lsp.documents import Kind

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def checked_declaration(path: Path) -> bool:
    """A declaration whose Type has a schema (Apple's newer examples have none yet)."""
    import json

    from profilesmith.schema.bundle import available

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return isinstance(value, dict) and value.get("Type") in available("declarations")


def largest(folder: str, pattern: str, keep: Callable[[Path], bool] = lambda _: True) -> Path:
    found = sorted((p for p in (SHARED / folder).rglob(pattern) if keep(p)),
                   key=lambda p: p.stat().st_size)
    if not found:
        raise SystemExit(f"no {pattern} under {SHARED / folder}")
    return found[-1]


def synthetic(target_bytes: int, directory: Path) -> Path:
    """A profile of many Wi-Fi payloads, about ``target_bytes`` long."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n'
            "\t<key>PayloadContent</key>\n\t<array>\n")
    tail = ("\t</array>\n\t<key>PayloadIdentifier</key>\n\t<string>bench.big</string>\n"
            "\t<key>PayloadType</key>\n\t<string>Configuration</string>\n"
            "\t<key>PayloadUUID</key>\n\t<string>6E1D2C3B-4A59-4867-9C8D-7E6F5A4B3C2D</string>\n"
            "\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n</dict>\n</plist>\n")
    parts = [head]
    size, number = len(head) + len(tail), 0
    while size < target_bytes:
        item = ("\t\t<dict>\n\t\t\t<key>AutoJoin</key>\n\t\t\t<true/>\n"
                "\t\t\t<key>EncryptionType</key>\n\t\t\t<string>WPA2</string>\n"
                f"\t\t\t<key>PayloadIdentifier</key>\n\t\t\t<string>bench.wifi.{number}</string>\n"
                "\t\t\t<key>PayloadType</key>\n\t\t\t<string>com.apple.wifi.managed</string>\n"
                "\t\t\t<key>PayloadUUID</key>\n"
                f"\t\t\t<string>6E1D2C3B-4A59-4867-9C8D-{number:012X}</string>\n"
                "\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n"
                f"\t\t\t<key>SSID_STR</key>\n\t\t\t<string>Office {number}</string>\n\t\t</dict>\n")
        parts.append(item)
        size += len(item)
        number += 1
    parts.append(tail)
    path = directory / f"synthetic-{target_bytes // 1_000_000}MB.mobileconfig"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def in_process(text: str, path: Path, kind: Kind) -> float:
    from profilesmith.lsp.diagnostics import diagnostics, lint_text
    from profilesmith.lsp.options import Configs

    configs = Configs()
    lint_text(text, str(path), kind, configs, fallback_directory=".", display="x")  # warm
    times = []
    for _ in range(5):
        start = time.perf_counter()
        linted = lint_text(text, str(path), kind, configs, fallback_directory=".",
                           display="x")
        diagnostics(linted, "utf-16")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def measure(path: Path, changes: int) -> None:
    text = path.read_text(encoding="utf-8")
    json_document = path.suffix == ".json"
    # one character changed in the middle, inside a string: the document stays valid
    opening = ': "' if json_document else "<string>"
    middle = text.find(opening, len(text) // 2)
    middle = (middle if middle >= 0 else text.index(opening)) + len(opening)
    variant = text[:middle] + "x" + text[middle:]
    uri = path.resolve().as_uri()
    client = LanguageClient("bench", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "profilesmith", "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        initialization_options={"debounceMs": 0, "largeFileChars": 10**9}))
    client.initialized(types.InitializedParams())
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="json" if json_document
                                             else "xml", version=1, text=text)))
    first = await published.get()
    times = []
    for version in range(2, changes + 2):
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(
                text=variant if version % 2 else text)]))
        while (await published.get()).version != version:
            pass
        times.append(time.perf_counter() - start)
    position = types.Position(line=len(text[:middle].splitlines()) - 1, character=10)
    start = time.perf_counter()
    await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position))
    hover = time.perf_counter() - start
    start = time.perf_counter()
    await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position))
    completion = time.perf_counter() - start
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    ms = [t * 1000 for t in times]
    print(f"{path.name}: {len(text.encode()):,} bytes, {text.count(chr(10)):,} lines, "
          f"{len(first.diagnostics)} diagnostics")
    print(f"  didChange -> publish (debounce 0, {changes} changes): median "
          f"{statistics.median(ms):.1f} ms, min {min(ms):.1f}, max {max(ms):.1f}")
    kind = "json" if json_document else "plist"
    print(f"  the same lint in process: {in_process(text, path, kind) * 1000:.1f} ms")
    print(f"  hover {hover * 1000:.1f} ms, completion {completion * 1000:.1f} ms "
          "(first request: includes building the outline)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    files = args.files
    if not files:
        import tempfile

        files = [largest("real-world", "*.mobileconfig"),
                 largest("messages", "*.json", checked_declaration),
                 synthetic(2_000_000, Path(tempfile.mkdtemp()))]
    for path in files:
        asyncio.run(measure(path, args.changes))


if __name__ == "__main__":
    main()
