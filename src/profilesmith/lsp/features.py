"""The LSP methods the server answers, registered on a :class:`ProfilesmithServer`, and
:func:`serve`, which runs it.

Requests that read the outline or the schemas (hover, completion, code actions,
formatting) run in a thread of their own, so that a large document never holds up the
messages behind them.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from lsprotocol import types
from pygls.capabilities import get_capability

from profilesmith.lsp import documents
from profilesmith.lsp.diagnostics import to_diagnostic, to_range
from profilesmith.lsp.fixes import Edit
from profilesmith.lsp.server import ProfilesmithServer
from profilesmith.lsp.snapshot import Snapshot

log = logging.getLogger("profilesmith.lsp")
FORMAT_KIND = "source.format"
CONFIG_GLOBS = ("**/.profilesmith.toml", "**/pyproject.toml")


def _edits(snapshot: Snapshot, edits: list[Edit], encoding: str) -> list[types.TextEdit]:
    return [types.TextEdit(range=to_range(snapshot.index, e.start, e.end, encoding),
                           new_text=e.text) for e in edits]


def _markup(ls: ProfilesmithServer, field: str, text: str) -> types.MarkupContent:
    formats = get_capability(ls.client_capabilities, field, None)
    markdown = not formats or types.MarkupKind.Markdown in formats
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.MarkupContent(kind=kind, value=text)


def hover(ls: ProfilesmithServer, snapshot: Snapshot, params: types.HoverParams
          ) -> types.Hover | None:
    from profilesmith.lsp.hover import hover as describe

    position = params.position
    offset = snapshot.index.client_offset(position.line, position.character, ls.encoding)
    linted = ls.current_lint(params.text_document.uri)
    found = describe(snapshot, offset, linted.items if linted is not None else ())
    if found is None:
        return None
    text, span = found
    return types.Hover(
        contents=_markup(ls, "text_document.hover.content_format", text),
        range=to_range(snapshot.index, span[0], span[1], ls.encoding) if span else None)


def completion(ls: ProfilesmithServer, snapshot: Snapshot, params: types.CompletionParams
               ) -> types.CompletionList | None:
    from profilesmith.lsp.completion import complete

    index, encoding = snapshot.index, ls.encoding
    offset = index.client_offset(params.position.line, params.position.character, encoding)
    found = complete(snapshot, offset)
    if found is None:
        return None
    choices, (start, end) = found
    line = index.position(offset)[0]
    first = index.offset(line, 0)
    start = max(start, first)
    end = min(max(end, offset), first + len(index.line(line)))
    where = to_range(index, start, end, encoding)
    field = "text_document.completion.completion_item.documentation_format"
    items = [types.CompletionItem(
        label=choice.label,
        kind=(types.CompletionItemKind.Property if choice.kind == "key"
              else types.CompletionItemKind.EnumMember),
        detail=choice.detail,
        documentation=_markup(ls, field, choice.documentation) if choice.documentation
        else None,
        sort_text=choice.sort or None,
        filter_text=choice.filter,
        insert_text_format=types.InsertTextFormat.PlainText,
        text_edit=types.TextEdit(range=where, new_text=choice.text),
    ) for choice in choices]
    return types.CompletionList(is_incomplete=False, items=items)


def _wanted(only: list[str] | None, kind: str) -> bool:
    return not only or any(kind == o or kind.startswith(f"{o}.") for o in only)


def code_actions(ls: ProfilesmithServer, snapshot: Snapshot, params: types.CodeActionParams
                 ) -> list[types.CodeAction]:
    uri, encoding = params.text_document.uri, ls.encoding
    index = snapshot.index
    only = [str(kind) for kind in params.context.only] if params.context.only else None
    area = params.range
    low = index.client_offset(area.start.line, area.start.character, encoding)
    high = index.client_offset(area.end.line, area.end.character, encoding)
    actions = []
    linted = ls.current_lint(uri)
    if linted is not None and _wanted(only, types.CodeActionKind.QuickFix):
        for item in linted.items:
            fix = item.fix
            if fix is None or item.start > high or item.end < low:
                continue
            diagnostic = to_diagnostic(index, item, encoding, ls.settings.docs_url)
            actions.append(types.CodeAction(
                title=f"{fix.title} ({item.finding.rule})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: _edits(snapshot, fix.edits, encoding)})))
    if snapshot.kind == "plist" and _wanted(only, FORMAT_KIND) and \
            len(snapshot.text) <= ls.settings.large_file and (
            linted is None or linted.document is None or linted.document.format == "xml"):
        formatted = snapshot.formatted(documents.path_of(uri) or uri)
        if formatted.edits:
            actions.append(types.CodeAction(
                title="Format as canonical XML (profilesmith format)",
                kind=FORMAT_KIND,
                edit=types.WorkspaceEdit(
                    changes={uri: _edits(snapshot, formatted.edits, encoding)})))
    return actions


def formatting(ls: ProfilesmithServer, snapshot: Snapshot,
               params: types.DocumentFormattingParams
               ) -> tuple[list[types.TextEdit] | None, types.ShowMessageParams | None]:
    """The edits, and what to tell the user (a note about dropped comments, or why the
    document was not formatted)."""
    if snapshot.kind != "plist":
        return None, None
    uri = params.text_document.uri
    formatted = snapshot.formatted(documents.path_of(uri) or uri)
    message = None
    if formatted.message:
        kind = types.MessageType.Info if formatted.edits is not None else \
            types.MessageType.Warning
        message = types.ShowMessageParams(type=kind, message=f"profilesmith: {formatted.message}")
    if formatted.edits is None:
        return None, message
    return _edits(snapshot, formatted.edits, ls.encoding), message


async def watch_config_files(ls: ProfilesmithServer) -> None:
    """Ask the client to report changes to config files (when it can)."""
    if not get_capability(ls.client_capabilities,
                          "workspace.did_change_watched_files.dynamic_registration", False):
        return
    watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in CONFIG_GLOBS]
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(
                id="profilesmith-config-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=watchers))]))
    except Exception as exc:  # the client may refuse: configs are still re-read when changed
        log.warning("could not watch config files: %s", exc)


def register(server: ProfilesmithServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: ProfilesmithServer, params: types.InitializeParams) -> None:
        ls.settings.update(params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: ProfilesmithServer, params: types.InitializedParams) -> None:
        await watch_config_files(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: ProfilesmithServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.configs.forget()
        ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configured(ls: ProfilesmithServer, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict):
            ls.settings.update(settings.get("profilesmith", settings))
        ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ProfilesmithServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open(params.text_document.uri, params.text_document.language_id)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ProfilesmithServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: ProfilesmithServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ProfilesmithServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: ProfilesmithServer, params: types.HoverParams
                       ) -> types.Hover | None:
        snapshot = ls.snapshot(params.text_document.uri)
        return None if snapshot is None else await asyncio.to_thread(hover, ls, snapshot, params)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["<", '"']))
    async def on_completion(ls: ProfilesmithServer, params: types.CompletionParams
                            ) -> types.CompletionList | None:
        snapshot = ls.snapshot(params.text_document.uri)
        if snapshot is None:
            return None
        return await asyncio.to_thread(completion, ls, snapshot, params)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FORMAT_KIND]))
    async def on_code_action(ls: ProfilesmithServer, params: types.CodeActionParams
                             ) -> list[types.CodeAction] | None:
        snapshot = ls.snapshot(params.text_document.uri)
        if snapshot is None or snapshot.kind == "binary":
            return None
        return await asyncio.to_thread(code_actions, ls, snapshot, params)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def on_formatting(ls: ProfilesmithServer, params: types.DocumentFormattingParams
                            ) -> list[types.TextEdit] | None:
        snapshot = ls.snapshot(params.text_document.uri)
        if snapshot is None:
            return None
        edits, message = await asyncio.to_thread(formatting, ls, snapshot, params)
        if message is not None:
            ls.window_show_message(message)
        return edits


def serve(debounce_ms: int | None = None) -> None:
    """Run the server on standard input and output until the client says exit (stdout
    is the protocol's: logs go to stderr)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="%(name)s: %(message)s")
    server = ProfilesmithServer()
    if debounce_ms is not None:
        server.settings.debounce = debounce_ms / 1000
    register(server)
    server.start_io()
