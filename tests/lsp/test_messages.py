"""End to end, on a DDM declaration (JSON) and an MDM command (a plist): diagnostics,
hover and completion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.lsp.conftest import (
    DATA,
    change_document,
    open_document,
    position,
    published,
    span,
    summary,
)

DECLARATION = DATA / "softwareupdate.json"
TEXT = DECLARATION.read_text(encoding="utf-8")
SCHEMA = "declarations/com.apple.configuration.softwareupdate.settings.schema.json"


def copy(workspace: Path, source: Path = DECLARATION) -> Path:
    target = workspace / source.name
    shutil.copyfile(source, target)
    return target


@pytest.mark.asyncio
async def test_declaration_diagnostics_at_their_lines_and_an_edit_that_clears_one(
        client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy(workspace), language="json")
    diagnostics = await published(client, uri, 1)
    # MajorPeriodInDays 120 (line 8: at most 90), Download "Sometimes" (line 12: an enum);
    # lint says 8:34 and 12:25
    assert summary(diagnostics) == [("SCH003", 7, 33, 7, 36), ("SCH003", 11, 24, 11, 35)]
    assert [d.message for d in diagnostics] == [
        "Payload/Deferrals/MajorPeriodInDays: 120 is more than the maximum 90",
        "Payload/AutomaticActions/Download: 'Sometimes' is not allowed (allowed: Allowed, "
        "AlwaysOn, AlwaysOff)"]
    assert all(d.source == "profilesmith" and d.severity == types.DiagnosticSeverity.Error
               for d in diagnostics)
    change_document(client, uri, 2, TEXT.replace('"MajorPeriodInDays": 120',
                                                 '"MajorPeriodInDays": 30'))
    assert summary(await published(client, uri, 2)) == [("SCH003", 11, 24, 11, 35)]


@pytest.mark.asyncio
async def test_half_typed_json_gets_the_readers_error(client: LanguageClient,
                                                      workspace: Path) -> None:
    uri = open_document(client, copy(workspace), language="json")
    await published(client, uri, 1)
    change_document(client, uri, 2, TEXT.replace('"Download": "Sometimes",', '"Download": '))
    # "Download": "InstallOSUpdates": ... the reader stops at the second colon (13:31)
    (diagnostic,) = await published(client, uri, 2)
    assert summary([diagnostic]) == [("PAR017", 12, 30, 12, 31)]
    assert diagnostic.message == "malformed JSON: Expecting ',' delimiter"
    # completion still works on it: the values of Download
    values = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(11, 24)))
    assert isinstance(values, types.CompletionList)
    assert [i.text_edit.new_text for i in values.items
            if isinstance(i.text_edit, types.TextEdit)] == ['"Allowed"', '"AlwaysOn"',
                                                            '"AlwaysOff"']


async def _hover(client: LanguageClient, uri: str, line: int, character: int) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=position(line, character)))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


@pytest.mark.asyncio
async def test_hover_in_a_declaration(client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy(workspace), language="json")
    assert await _hover(client, uri, 7, 20) == (
        "**MajorPeriodInDays** `<integer>` · optional\n"
        "- Range: 1 … 90\n"
        "- Platforms: not on iOS\n"
        "- Combined with other declarations: number-max\n"
        f"- Schema: `{SCHEMA}` (com.apple.configuration.softwareupdate.settings declaration)")
    # on the Type's value: the declaration type's own facts too
    facts, type_facts = (await _hover(client, uri, 1, 30)).split("\n\n---\n\n")
    assert facts.startswith("**Type** `<string>` · required\n"
                            "- Must be `com.apple.configuration.softwareupdate.settings`\n")
    assert type_facts.splitlines() == [
        "**com.apple.configuration.softwareupdate.settings**",
        "- Platforms: iOS 18.0+, macOS 15.0+; not on tvOS, visionOS, watchOS",
        "- Conditions on iOS: enrollments: supervised, device; scopes: system; "
        "Shared iPad: allowed-scopes system",
        "- Conditions on macOS: enrollments: supervised; scopes: system",
        "- Category: configuration",
        "- Applied: combined",
    ]


@pytest.mark.asyncio
async def test_completion_in_a_declaration(client: LanguageClient, workspace: Path) -> None:
    text = TEXT.replace('"InstallOSUpdates": "AlwaysOn"\n',
                        '"InstallOSUpdates": "AlwaysOn",\n            "\n')
    uri = open_document(client, copy(workspace), text, language="json")
    # a key of AutomaticActions, in the quotes just opened on line 14
    keys = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(13, 13)))
    assert isinstance(keys, types.CompletionList)
    assert [(i.label, i.detail) for i in keys.items] == [
        ("InstallSecurityUpdate", "<string> · optional")]
    # the string is not closed yet: the completion closes it and adds the colon
    assert keys.items[0].text_edit == types.TextEdit(range=span(13, 13, 13, 13),
                                                     new_text='InstallSecurityUpdate": ')
    # an enumerated value: in "Sometimes"
    values = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(11, 28)))
    assert isinstance(values, types.CompletionList)
    assert [(i.label, i.text_edit) for i in values.items] == [
        (value, types.TextEdit(range=span(11, 25, 11, 34), new_text=value))
        for value in ("Allowed", "AlwaysOn", "AlwaysOff")]


@pytest.mark.asyncio
async def test_completion_of_declaration_types(client: LanguageClient, workspace: Path) -> None:
    text = TEXT.replace('"com.apple.configuration.softwareupdate.settings"',
                        '"com.apple.configuration.soft"')
    uri = open_document(client, copy(workspace), text, language="json")
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(1, 33)))
    assert isinstance(result, types.CompletionList)
    labels = [i.label for i in result.items]
    assert "com.apple.configuration.softwareupdate.settings" in labels
    assert "com.apple.activation.simple" in labels
    assert len(labels) == 38  # every declaration type with a schema
    assert all(i.text_edit is not None and i.text_edit.range == span(1, 13, 1, 41)
               for i in result.items if isinstance(i.text_edit, types.TextEdit))


@pytest.mark.asyncio
async def test_command_plist_diagnostics_and_hover(client: LanguageClient,
                                                   workspace: Path) -> None:
    path = copy(workspace, DATA / "devicelock.plist")
    uri = open_document(client, path)
    diagnostics = await published(client, uri, 1)
    assert summary(diagnostics) == [("SCH001", 9, 2, 9, 27)]
    assert diagnostics[0].message == "PIN: expected <string>, found <integer>"
    text = path.read_text(encoding="utf-8")
    change_document(client, uri, 2, text.replace("<integer>482913</integer>",
                                                 "<string>482913</string>"))
    assert await published(client, uri, 2) == []
    pin = await _hover(client, uri, 8, 8)
    assert pin == ("**PIN** `<string>` · optional\n"
                   "- Platforms: macOS 10.8+; not on iOS, visionOS, watchOS\n"
                   "- Schema: `commands/DeviceLock.schema.json` (DeviceLock command)")


@pytest.mark.asyncio
async def test_response_plist_diagnostics_and_hover(client: LanguageClient,
                                                    workspace: Path) -> None:
    # a device's answer to DeviceLock (told from its MessageResult key, as lint does)
    path = copy(workspace, DATA / "devicelock-response.plist")
    uri = open_document(client, path)
    diagnostics = await published(client, uri, 1)
    assert summary(diagnostics) == [("SCH003", 9, 1, 9, 29)]
    assert diagnostics[0].message == ("Status: 'Acknowleged' is not allowed (allowed: "
                                      "Acknowledged, Error, CommandFormatError, NotNow)")
    text = path.read_text(encoding="utf-8")
    change_document(client, uri, 2, text.replace("Acknowleged", "Acknowledged"))
    assert await published(client, uri, 2) == []
    assert await _hover(client, uri, 8, 8) == (
        "**Status** `<string>` · required\n"
        "- Allowed: `Acknowledged`, `Error`, `CommandFormatError`, `NotNow`\n"
        "- Schema: `responses/DeviceLock.schema.json` (DeviceLock response)")
    udid = await _hover(client, uri, 10, 8)  # a key of every response
    assert udid.startswith("**UDID** `<string>` · required in some cases\n")
