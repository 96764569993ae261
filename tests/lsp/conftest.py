"""A real LSP client (pytest-lsp) driving ``profilesmith lsp`` in a subprocess.

``client`` speaks like VS Code 1.65 (UTF-16 positions), ``nvim`` like Neovim 0.11 (UTF-8
positions). Both start the server in a fresh temporary workspace (``workspace``) with a
50 ms debounce. pytest-lsp checks the server's answers against the client's capabilities
and warns (an error here) on every violation of the specification.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

DATA = Path(__file__).resolve().parent / "data"
# server_env replaces the environment: keep it, and make the server strict about warnings
SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "profilesmith", "lsp"],
    server_env={**os.environ, "PYTHONWARNINGS": "error"},
)
DEBOUNCE_MS = 50


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path


async def _start(client: LanguageClient, spec: str, workspace: Path) -> None:
    registrations: list[types.Registration] = []
    client.registrations = registrations  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        # what an editor does with a registration: remember it
        registrations.extend(params.registrations)

    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(spec),
        root_uri=workspace.as_uri(),
        initialization_options={"debounceMs": DEBOUNCE_MS},
    ))


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await _start(lsp_client, "visual-studio-code", workspace)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def nvim(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await _start(lsp_client, "neovim@v0.11", workspace)
    yield
    await lsp_client.shutdown_session()


def open_document(client: LanguageClient, path: Path, text: str | None = None,
                  language: str = "xml", *, write: bool = True) -> str:
    """Open ``path`` holding ``text`` (written to the file first unless ``write`` is
    false); its URI."""
    if text is not None and write:
        path.write_text(text, encoding="utf-8", newline="")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(
            uri=uri, language_id=language, version=1,
            text=text if text is not None else path.read_text(encoding="utf-8"))))
    return uri


def change_document(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def next_publish(client: LanguageClient, uri: str, timeout: float = 20
                       ) -> types.PublishDiagnosticsParams:
    """The next diagnostics published for ``uri``. wait_for_notification has no timeout
    of its own: a missing publish must fail the test, not hang it."""
    async def wait() -> types.PublishDiagnosticsParams:
        while True:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            assert isinstance(params, types.PublishDiagnosticsParams)
            if params.uri == uri:
                return params

    return await asyncio.wait_for(wait(), timeout)


async def published(client: LanguageClient, uri: str, version: int,
                    timeout: float = 20) -> list[types.Diagnostic]:
    """The diagnostics published next for ``uri``, which must be for ``version``."""
    params = await next_publish(client, uri, timeout)
    assert params.version == version
    return list(params.diagnostics)


def position(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def span(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(start=position(line, start), end=position(end_line, end))


def summary(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int, int, int]]:
    """(code, start line, start character, end line, end character) of each."""
    return [(str(d.code), d.range.start.line, d.range.start.character, d.range.end.line,
             d.range.end.character) for d in diagnostics]


def apply(text: str, edits: list[types.TextEdit] | tuple[types.TextEdit, ...],
          encoding: str = "utf-16") -> str:
    """The text after the edits (positions in ``encoding``), as a client applies them."""
    from profilesmith.lsp.text import LineIndex

    index = LineIndex(text)
    spans = sorted(((index.client_offset(e.range.start.line, e.range.start.character,
                                          encoding),
                     index.client_offset(e.range.end.line, e.range.end.character, encoding),
                     e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
