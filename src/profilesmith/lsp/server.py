"""The language server's state: the open documents, their debounced linting in a worker
thread, the settings (:mod:`profilesmith.lsp.features` answers the requests).

Documents are synchronised in full (the client sends the whole text on every change):
pygls 2.1's incremental sync indexes lines with ``str.splitlines`` and corrupts a
document after a U+2028. Each change restarts the document's debounce timer; when it
runs out, the lint runs in the one worker thread (so the server keeps answering) and
its result is published only if the document has not changed meanwhile; a run that
has been overtaken before it starts is skipped. Documents larger than
``largeFileChars`` are linted when opened and saved, not while typing.

Settings (``initializationOptions`` or the ``profilesmith`` section of
``workspace/didChangeConfiguration``): ``debounceMs`` (default 300), ``largeFileChars``
(2,000,000), ``maxDiagnostics`` (1000), ``docsUrl`` (a link for each rule, with
``{rule}`` in it; none by default: hovering over a finding shows its rule's text).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from profilesmith.base.resources import MissingData
from profilesmith.base.version import __version__
from profilesmith.lsp import documents
from profilesmith.lsp.diagnostics import Linted, diagnostics, lint_text
from profilesmith.lsp.options import Configs, is_config_file
from profilesmith.lsp.snapshot import Snapshot

log = logging.getLogger("profilesmith.lsp")


class Settings:
    __slots__ = ("debounce", "docs_url", "large_file", "max_diagnostics")

    def __init__(self) -> None:
        self.debounce = 0.3
        self.large_file = 2_000_000
        self.max_diagnostics = 1000
        self.docs_url: str | None = None

    def update(self, values: Any) -> None:
        """Take the settings ``values`` names; anything malformed is left as it was."""
        if not isinstance(values, dict):
            return
        debounce = _number(values.get("debounceMs"), 0)
        if debounce is not None:
            self.debounce = debounce / 1000
        large = _number(values.get("largeFileChars"), 1)
        if large is not None:
            self.large_file = int(large)
        limit = _number(values.get("maxDiagnostics"), 1)
        if limit is not None:
            self.max_diagnostics = int(limit)
        if isinstance(values.get("docsUrl"), str):
            self.docs_url = values["docsUrl"] or None


def _number(value: Any, least: int) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < least:
        return None
    return value


class State:
    """What the server knows about one open document."""

    __slots__ = ("kind", "language", "linted", "linted_version", "snapshot")

    def __init__(self, kind: documents.Kind | None, language: str | None) -> None:
        self.kind = kind
        self.language = language
        self.linted: Linted | None = None
        self.linted_version: int | None = None
        self.snapshot: Snapshot | None = None


class ProfilesmithServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("profilesmith", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.settings = Settings()
        self.states: dict[str, State] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.requested: dict[str, int | None] = {}  # the version each lint is for
        self.linter = ThreadPoolExecutor(1, thread_name_prefix="profilesmith-lint")
        self.configs = Configs()
        self.told: set[str] = set()  # messages already shown or logged

    # -- positions ---------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or "utf-16")

    def snapshot(self, uri: str) -> Snapshot | None:
        """The current version of an open document of ours."""
        state = self.states.get(uri)
        if state is None or state.kind is None:
            return None
        doc = self.workspace.get_text_document(uri)
        if state.snapshot is None or state.snapshot.version != doc.version:
            linted = state.linted if state.linted_version == doc.version else None
            index = linted.lines if linted is not None else None
            state.snapshot = Snapshot(doc.source, state.kind, doc.version, index)
        return state.snapshot

    def current_lint(self, uri: str) -> Linted | None:
        state = self.states.get(uri)
        if state is None or state.linted is None:
            return None
        if state.linted_version != self.workspace.get_text_document(uri).version:
            return None
        return state.linted

    # -- linting -----------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds unless it changes again before."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.requested[uri] = self.workspace.get_text_document(uri).version
        task = asyncio.get_running_loop().create_task(self._lint(uri, delay))
        self.pending[uri] = task

        def done(finished: asyncio.Task[None]) -> None:
            if self.pending.get(uri) is finished:
                del self.pending[uri]
            if not finished.cancelled() and finished.exception() is not None:
                log.error("linting %s failed", uri, exc_info=finished.exception())

        task.add_done_callback(done)

    async def _lint(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        state = self.states.get(uri)
        if state is None or state.kind is None:
            return
        doc = self.workspace.get_text_document(uri)
        version, text, kind = doc.version, doc.source, state.kind
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self.linter, self._run, uri, version, text,
                                                kind)
        except MissingData as exc:  # a broken installation: say so, once, not in a log
            self._say_once(types.MessageType.Error, f"profilesmith: {exc}")
            return
        if result is None or self.states.get(uri) is not state:
            return
        if self.workspace.get_text_document(uri).version != version:
            return  # changed while the lint ran: the next run publishes
        linted, published = result
        state.linted, state.linted_version = linted, version
        self._tell(linted)  # first: a client reading the diagnostics has the reason too
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=published))

    def _run(self, uri: str, version: int | None, text: str, kind: documents.Kind
             ) -> tuple[Linted, list[types.Diagnostic]] | None:
        """The lint itself, in the worker thread."""
        if self.requested.get(uri) != version:
            return None  # overtaken by a newer change while it waited
        started = time.perf_counter()
        linted = lint_text(text, documents.path_of(uri), kind, self.configs,
                           fallback_directory=self.root_directory(), display=uri)
        published = diagnostics(linted, self.encoding, docs_url=self.settings.docs_url,
                                limit=self.settings.max_diagnostics)
        log.debug("linted %s v%s in %.1f ms", uri, version,
                  (time.perf_counter() - started) * 1000)
        return linted, published

    def _tell(self, linted: Linted) -> None:
        """Say each configuration problem once (a pop-up) and each note once (the log)."""
        error = linted.resolved.error
        if error is not None:
            self._say_once(types.MessageType.Error,
                           f"profilesmith: {error}; linting with the default settings")
        for note in linted.notes:
            if note not in self.told:
                self.told.add(note)
                self.window_log_message(types.LogMessageParams(
                    type=types.MessageType.Warning, message=f"profilesmith: {note}"))

    def _say_once(self, kind: types.MessageType, message: str) -> None:
        """A pop-up, the first time only."""
        if message not in self.told:
            self.told.add(message)
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def root_directory(self) -> str:
        root = self.workspace.root_path
        return root if root else os.getcwd()

    def relint_all(self) -> None:
        for uri, state in self.states.items():
            if state.kind is not None:
                self.schedule(uri, 0)

    def open(self, uri: str, language: str | None) -> None:
        doc = self.workspace.get_text_document(uri)
        state = State(documents.recognise(uri, doc.source, language), language)
        self.states[uri] = state
        if state.kind is not None:
            self.schedule(uri, 0)

    def changed(self, uri: str) -> None:
        state = self.states.get(uri)
        if state is None:
            return self.open(uri, None)
        doc = self.workspace.get_text_document(uri)
        if state.kind is None:
            state.kind = documents.recognise(uri, doc.source, state.language)
            if state.kind is None:
                return None
        if state.kind == "binary":
            return None  # read from disk: the editor's text is not the file
        if len(doc.source) > self.settings.large_file:
            return None  # linted when saved
        self.schedule(uri, self.settings.debounce)
        return None

    def close(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.requested.pop(uri, None)
        if self.states.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def saved(self, uri: str) -> None:
        path = documents.path_of(uri)
        if path is not None and is_config_file(path):
            self.configs.forget()
            self.relint_all()
            return
        state = self.states.get(uri)
        if state is not None and state.kind is not None:
            self.schedule(uri, 0)

    def report_server_error(self, error: Exception, source: Any) -> None:
        log.error("profilesmith lsp: %s", error, exc_info=error)  # no pop-ups
