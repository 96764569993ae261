"""End to end, on an enrollment profile (SCEP + MDM payloads, shaped like real ones): the
diagnostics at the findings' lines, an edit that clears one, hover, completion and the
code actions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.lsp.conftest import (
    DATA,
    apply,
    change_document,
    open_document,
    position,
    published,
    span,
    summary,
)

PROFILE = DATA / "enrollment.mobileconfig"
TEXT = PROFILE.read_text(encoding="utf-8")
# (rule, start line, start character, end line, end character), 0-based, as lint reports
# them 1-based: SEC101 11:5, SCP102 28:5, SCH002 41:3, MDM101 43:4, MDM103 64:4
EXPECTED = [
    ("SEC101", 10, 4, 10, 37),   # <string>c9Hq2mXv7LpR4tYw</string>
    ("SCP102", 27, 4, 27, 52),   # <string>http://scep.fleet.internal/scep</string>
    ("SCH002", 40, 2, 40, 8),    # <dict> of the MDM payload (its PayloadUUID is missing)
    ("MDM101", 42, 3, 42, 23),   # <integer>2</integer>
    ("MDM103", 63, 3, 63, 49),   # <string>http://mdm.fleet.internal/mdm</string>
]


def copy_profile(workspace: Path) -> Path:
    target = workspace / "enrollment.mobileconfig"
    shutil.copyfile(PROFILE, target)
    return target


@pytest.mark.asyncio
async def test_diagnostics_on_open_are_lints_findings_at_their_lines(
        client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace))
    diagnostics = await published(client, uri, 1)
    assert summary(diagnostics) == EXPECTED
    by_code = {d.code: d for d in diagnostics}
    mdm101 = by_code["MDM101"]
    assert mdm101.source == "profilesmith"
    assert mdm101.severity == types.DiagnosticSeverity.Error
    assert mdm101.message == ("AccessRights 2: AllowInstallationRemoval (2) needs "
                              "AllowInspection (1); use 3")
    assert mdm101.data == {"pointer": "/PayloadContent/1/AccessRights"}
    assert mdm101.code_description is None  # no docsUrl configured: hover has the text
    assert by_code["SEC101"].severity == types.DiagnosticSeverity.Warning
    assert by_code["SCP102"].severity == types.DiagnosticSeverity.Warning


@pytest.mark.asyncio
async def test_an_edit_that_fixes_a_finding_clears_it(client: LanguageClient,
                                                      workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace))
    await published(client, uri, 1)
    # a debounce no loaded machine can miss between three messages sent at once
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"profilesmith": {"debounceMs": 1000}}))
    await published(client, uri, 1)  # a settings change lints again
    fixed = TEXT.replace("<integer>2</integer>", "<integer>3</integer>")
    # three quick edits: only the last version is linted and published
    change_document(client, uri, 2, TEXT.replace("<integer>2</integer>", "<integer>7</integer>"))
    change_document(client, uri, 3, TEXT.replace("<integer>2</integer>", "<integer></integer>"))
    change_document(client, uri, 4, fixed)
    diagnostics = await published(client, uri, 4)  # never 2 or 3
    assert list(client.diagnostics[uri]) == diagnostics
    assert summary(diagnostics) == [e for e in EXPECTED if e[0] != "MDM101"]


@pytest.mark.asyncio
async def test_half_typed_xml_gets_the_readers_error_then_recovers(
        client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace))
    await published(client, uri, 1)
    # the end tag half typed: libxml2 notices on the next line (lint says 45:4)
    broken = TEXT.replace("\t\t\t<key>CheckInURL</key>", "\t\t\t<key>CheckInURL</ke")
    change_document(client, uri, 2, broken)
    diagnostics = await published(client, uri, 2)
    assert summary(diagnostics) == [("PAR001", 44, 3, 44, 54)]
    assert diagnostics[0].message == "malformed XML: expected '>'"
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    change_document(client, uri, 3, TEXT)
    assert summary(await published(client, uri, 3)) == EXPECTED


@pytest.mark.asyncio
async def test_hover_on_a_key_gives_the_schema_facts(client: LanguageClient,
                                                     workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace))
    await published(client, uri, 1)
    # line 56: "\t\t\t<key>ServerCapabilities</key>"
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(57, 12)))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.range == span(57, 8, 57, 26)
    assert hover.contents.value == (
        "**ServerCapabilities** `<array>` · optional\n"
        "- Items `<string>`: Allowed: `com.apple.mdm.per-user-connections`, "
        "`com.apple.mdm.bootstraptoken`, `com.apple.mdm.token`\n"
        "- Items must be unique\n"
        "- Schema: `payloads/com.apple.mdm.schema.json` (com.apple.mdm payload)")


@pytest.mark.asyncio
async def test_hover_on_a_finding_adds_its_rule_documentation(
        client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace))
    await published(client, uri, 1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(42, 13)))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    facts, rule = hover.contents.value.split("\n\n---\n\n")
    assert facts == ("**AccessRights** `<integer>` · optional\n"
                     "- Range: 1 … 8191\n"
                     "- Schema: `payloads/com.apple.mdm.schema.json` (com.apple.mdm payload)")
    assert rule.startswith(
        "**MDM101** (error): AccessRights 2: AllowInstallationRemoval (2) needs "
        "AllowInspection (1); use 3\n\n```text\n"
        "AccessRights grants a right without the right it depends on.\n")
    assert "Fails:   <key>AccessRights</key><integer>2</integer>" in rule


@pytest.mark.asyncio
async def test_completion_of_a_half_typed_key(client: LanguageClient, workspace: Path) -> None:
    path = copy_profile(workspace)
    text = TEXT.replace("\t\t\t<key>CheckOutWhenRemoved</key>\n\t\t\t<true/>\n",
                        "\t\t\t<key>CheckO\n")
    uri = open_document(client, path, text)
    await published(client, uri, 1)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(45, 14)))
    assert isinstance(result, types.CompletionList)
    labels = [item.label for item in result.items]
    # the com.apple.mdm keys not in the payload yet; PayloadUUID (required) sorts first
    assert labels[0] == "PayloadUUID"
    assert [item.sort_text for item in result.items] == sorted(
        item.sort_text or "" for item in result.items)
    assert result.items[0].sort_text == "0PayloadUUID"
    assert "CheckOutWhenRemoved" in labels
    assert "AccessRights" not in labels
    assert "ServerURL" not in labels
    item = next(i for i in result.items if i.label == "CheckOutWhenRemoved")
    assert item.detail == "<boolean> · optional"
    # the key's end tag is missing: the completion adds it
    assert item.text_edit == types.TextEdit(range=span(45, 8, 45, 14),
                                            new_text="CheckOutWhenRemoved</key>")
    assert item.kind == types.CompletionItemKind.Property


@pytest.mark.asyncio
async def test_completion_of_a_key_after_a_half_typed_tag(client: LanguageClient,
                                                          workspace: Path) -> None:
    text = TEXT.replace("\t\t\t<key>CheckOutWhenRemoved</key>\n\t\t\t<true/>\n", "\t\t\t<ke\n")
    uri = open_document(client, copy_profile(workspace), text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(45, 6)))
    assert isinstance(result, types.CompletionList)
    item = next(i for i in result.items if i.label == "CheckOutWhenRemoved")
    assert item.text_edit == types.TextEdit(range=span(45, 3, 45, 6),
                                            new_text="<key>CheckOutWhenRemoved</key>")
    assert item.filter_text == "<key>CheckOutWhenRemoved</key>"


@pytest.mark.asyncio
async def test_completion_of_payload_types_and_enumerated_values(
        client: LanguageClient, workspace: Path) -> None:
    text = TEXT.replace("<string>com.apple.mdm</string>", "<string>com.apple.m</string>")
    uri = open_document(client, copy_profile(workspace), text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(54, 22)))
    assert isinstance(result, types.CompletionList)
    labels = [item.label for item in result.items]
    assert {"com.apple.mdm", "com.apple.security.scep", "com.apple.wifi.managed"} <= set(labels)
    assert labels == sorted(labels)
    mdm = next(i for i in result.items if i.label == "com.apple.mdm")
    assert mdm.text_edit == types.TextEdit(range=span(54, 11, 54, 22), new_text="com.apple.mdm")
    # an item of ServerCapabilities (enumerated), line 59, once the type is com.apple.mdm
    change_document(client, uri, 2, TEXT)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(59, 12)))
    assert isinstance(result, types.CompletionList)
    assert [item.label for item in result.items] == [
        "com.apple.mdm.per-user-connections", "com.apple.mdm.bootstraptoken",
        "com.apple.mdm.token"]


async def _actions(client: LanguageClient, uri: str, diagnostic: types.Diagnostic
                   ) -> list[types.CodeAction]:
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic],
                                        only=[types.CodeActionKind.QuickFix])))
    assert actions is not None
    return [a for a in actions if isinstance(a, types.CodeAction)]


@pytest.mark.asyncio
async def test_quick_fixes_edit_exactly_the_finding_and_clear_it(
        client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace))
    diagnostics = {d.code: d for d in await published(client, uri, 1)}
    edits: dict[str, list[types.TextEdit]] = {}
    for code in ("MDM101", "MDM103", "SCP102", "SCH002"):
        actions = await _actions(client, uri, diagnostics[code])
        assert len(actions) == 1, code
        action = actions[0]
        assert action.kind == types.CodeActionKind.QuickFix
        assert action.is_preferred
        assert action.diagnostics is not None
        assert action.diagnostics[0].code == code
        assert action.edit is not None
        assert action.edit.changes is not None
        edits[code] = list(action.edit.changes[uri])
    assert edits["MDM101"] == [types.TextEdit(range=span(42, 12, 42, 13), new_text="3")]
    assert edits["MDM103"] == [types.TextEdit(range=span(63, 11, 63, 15), new_text="https")]
    assert edits["SCP102"] == [types.TextEdit(range=span(27, 12, 27, 16), new_text="https")]
    # PayloadUUID goes where the sorted keys want it: before PayloadVersion (line 56)
    (uuid_edit,) = edits["SCH002"]
    assert uuid_edit.range == span(55, 0, 55, 0)
    assert re.fullmatch(r"\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>[0-9A-F]{8}-[0-9A-F]{4}-"
                        r"4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}</string>\n",
                        uuid_edit.new_text)
    assert (await _actions(client, uri, diagnostics["SEC101"])) == []  # no mechanical fix
    fixed = apply(TEXT, [e for code in edits for e in edits[code]])
    change_document(client, uri, 2, fixed)
    assert summary(await published(client, uri, 2)) == [("SEC101", 10, 4, 10, 37)]


@pytest.mark.asyncio
async def test_format_document_gives_profilesmith_formats_canonical_xml(
        client: LanguageClient, workspace: Path) -> None:
    from profilesmith.plist.formatter import format_bytes

    text = TEXT.replace("\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>Device management",
                        "  <key>PayloadDisplayName</key>   <string>Device management")
    uri = open_document(client, copy_profile(workspace), text)
    await published(client, uri, 1)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert edits is not None
    assert list(edits) == [types.TextEdit(
        range=span(49, 0, 50, 0),
        new_text="\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>Device management</string>\n")]
    canonical = format_bytes(text.encode(), "x.mobileconfig").data.decode()
    assert apply(text, list(edits)) == canonical
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=span(0, 0, 0, 0),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Source])))
    assert actions is not None
    (action,) = actions
    assert isinstance(action, types.CodeAction)
    assert action.title == "Format as canonical XML (profilesmith format)"
    assert action.kind == "source.format"
    assert action.edit is not None
    assert action.edit.changes is not None
    assert list(action.edit.changes[uri]) == list(edits)


# the AccessRights member on one line, after a comment with an "é" and an emoji: in code
# points <integer> starts at 3 + 11 + 23 = 37 and ends at 57
ONE_LINE = TEXT.replace("\t\t\t<key>AccessRights</key>\n\t\t\t<integer>2</integer>",
                        "\t\t\t<!-- é😀 --><key>AccessRights</key><integer>2</integer>")


@pytest.mark.asyncio
async def test_utf16_client_positions(client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, copy_profile(workspace), ONE_LINE)
    diagnostics = await published(client, uri, 1)
    mdm101 = next(d for d in diagnostics if d.code == "MDM101")
    assert mdm101.range == span(41, 38, 41, 58)  # the emoji is 2 UTF-16 units


@pytest.mark.asyncio
async def test_utf8_client_positions(nvim: LanguageClient, workspace: Path) -> None:
    # Neovim 0.11 asks for UTF-8 columns: "é" is 2 bytes, the emoji 4
    uri = open_document(nvim, copy_profile(workspace), ONE_LINE)
    diagnostics = await published(nvim, uri, 1)
    mdm101 = next(d for d in diagnostics if d.code == "MDM101")
    assert mdm101.range == span(41, 41, 41, 61)
    (action,) = await _actions(nvim, uri, mdm101)
    assert action.edit is not None
    assert action.edit.changes is not None
    assert list(action.edit.changes[uri]) == [
        types.TextEdit(range=span(41, 50, 41, 51), new_text="3")]
