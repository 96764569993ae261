"""The server's behaviour around the findings: the project's config, signed files,
large files, documents that are not ours, closing, settings."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from tests.lsp.conftest import (
    DATA,
    change_document,
    next_publish,
    open_document,
    published,
    span,
    summary,
)
from tests.lsp.test_profile import EXPECTED, TEXT
from tests.pki import PKI

from profilesmith.cms.signer import Signer

PROFILE = DATA / "enrollment.mobileconfig"
CODES = [code for code, *_ in EXPECTED]  # SEC101 SCP102 SCH002 MDM101 MDM103


def _identifier(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


@pytest.mark.asyncio
async def test_the_projects_config_applies(client: LanguageClient, workspace: Path) -> None:
    (workspace / ".profilesmith.toml").write_text(
        'ignore = ["SEC101"]\n'
        '[per-file-ignores]\n"legacy/*" = ["SCP102"]\n'
        '[severity]\nMDM = "warning"\n')
    (workspace / "legacy").mkdir()
    for name in ("enrollment.mobileconfig", "legacy/enrollment.mobileconfig"):
        shutil.copyfile(PROFILE, workspace / name)
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    diagnostics = await published(client, uri, 1)
    assert [d.code for d in diagnostics] == ["SCP102", "SCH002", "MDM101", "MDM103"]
    assert {d.code: d.severity for d in diagnostics}["MDM101"] == \
        types.DiagnosticSeverity.Warning
    legacy = open_document(client, workspace / "legacy" / "enrollment.mobileconfig")
    assert [d.code for d in await published(client, legacy, 1)] == [
        "SCH002", "MDM101", "MDM103"]


@pytest.mark.asyncio
async def test_a_new_config_file_applies_when_the_client_reports_it(
        client: LanguageClient, workspace: Path) -> None:
    # the server asks to hear about config files (once initialized: wait for it)
    registrations = client.registrations  # type: ignore[attr-defined]
    for _ in range(100):
        if registrations:
            break
        await asyncio.sleep(0.05)
    assert [(r.method, r.register_options) for r in registrations] == [(
        types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        {"watchers": [{"globPattern": "**/.profilesmith.toml"},
                      {"globPattern": "**/pyproject.toml"}]})]
    shutil.copyfile(PROFILE, workspace / "enrollment.mobileconfig")
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    assert [d.code for d in await published(client, uri, 1)] == CODES
    config = workspace / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n[tool.profilesmith]\nselect = ["MDM"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]))
    assert [d.code for d in await published(client, uri, 1)] == ["MDM101", "MDM103"]


@pytest.mark.asyncio
async def test_a_broken_config_is_said_once_and_the_defaults_apply(
        client: LanguageClient, workspace: Path) -> None:
    (workspace / ".profilesmith.toml").write_text("ignore = [\n")
    shutil.copyfile(PROFILE, workspace / "enrollment.mobileconfig")
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    assert [d.code for d in await published(client, uri, 1)] == CODES
    change_document(client, uri, 2, TEXT)
    await published(client, uri, 2)  # linted again: not said again
    (message,) = client.messages
    assert message.type == types.MessageType.Error
    assert message.message.startswith(
        f"profilesmith: {workspace / '.profilesmith.toml'}: invalid TOML (")
    assert message.message.endswith("); linting with the default settings")


@pytest.mark.asyncio
async def test_signed_profiles_are_linted_from_disk_and_never_edited(
        client: LanguageClient, workspace: Path, pki: PKI) -> None:
    signer = Signer.from_objects(pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert])
    path = workspace / "signed.mobileconfig"
    path.write_bytes(signer.sign(PROFILE.read_bytes()))
    mangled = path.read_bytes().decode("utf-8", errors="replace")  # what an editor holds
    uri = open_document(client, path, mangled, write=False)
    diagnostics = await published(client, uri, 1)
    # the signed content's findings; its lines are not the editor's: all on line 0
    assert summary(diagnostics) == [(code, 0, 0, 0, 0) for code in CODES]
    area = span(0, 0, 0, 0)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_identifier(uri), range=area,
        context=types.CodeActionContext(diagnostics=diagnostics)))
    assert actions is None
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=_identifier(uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=False)))
    assert edits is None
    # typing into it changes nothing; saving reads the file again
    change_document(client, uri, 2, mangled + "x")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=_identifier(uri)))
    assert [d.code for d in await published(client, uri, 2)] == CODES


@pytest.mark.asyncio
async def test_large_documents_are_linted_when_saved(client: LanguageClient,
                                                     workspace: Path) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"profilesmith": {"largeFileChars": 1000}}))
    shutil.copyfile(PROFILE, workspace / "enrollment.mobileconfig")
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    first = await published(client, uri, 1)  # opening lints, whatever the size
    assert [d.code for d in first] == CODES
    fixed = TEXT.replace("<integer>2</integer>", "<integer>3</integer>")
    change_document(client, uri, 2, fixed)
    await asyncio.sleep(0.5)  # ten debounce periods
    assert list(client.diagnostics[uri]) == first  # not linted while typing
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=_identifier(uri)))
    assert [d.code for d in await published(client, uri, 2)] == [
        c for c in CODES if c != "MDM101"]


@pytest.mark.asyncio
async def test_other_xml_and_json_are_left_alone(client: LanguageClient,
                                                 workspace: Path) -> None:
    pom = open_document(client, workspace / "pom.xml", "<project><version>1</version></project>")
    package = open_document(client, workspace / "package.json", '{"name": "x"}', "json")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=_identifier(pom), position=types.Position(line=0, character=3)))
    assert hover is None
    shutil.copyfile(PROFILE, workspace / "enrollment.mobileconfig")
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    await published(client, uri, 1)  # linted in order: pom.xml's would have come first
    assert pom not in client.diagnostics
    assert package not in client.diagnostics
    # a .plist becomes ours once it holds a plist
    plist = open_document(client, workspace / "new.plist", "")
    change_document(client, plist, 2, '<?xml version="1.0"?>\n<plist version="1.0">\n<dict>')
    assert [d.code for d in await published(client, plist, 2)] == ["PAR001"]


@pytest.mark.asyncio
async def test_closing_a_document_clears_its_diagnostics(client: LanguageClient,
                                                         workspace: Path) -> None:
    shutil.copyfile(PROFILE, workspace / "enrollment.mobileconfig")
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    await published(client, uri, 1)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=_identifier(uri)))
    params = await next_publish(client, uri)
    assert params.version is None
    assert list(params.diagnostics) == []


@pytest.mark.asyncio
async def test_a_docs_url_links_each_rule(client: LanguageClient, workspace: Path) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"profilesmith": {"docsUrl": "https://docs.example/rules/{rule}.html"}}))
    shutil.copyfile(PROFILE, workspace / "enrollment.mobileconfig")
    uri = open_document(client, workspace / "enrollment.mobileconfig")
    diagnostics = await published(client, uri, 1)
    assert [d.code_description.href if d.code_description else None for d in diagnostics] == [
        f"https://docs.example/rules/{code}.html" for code in CODES]


@pytest.mark.asyncio
async def test_formatting_keeps_comments_as_profilesmith_format_does(
        client: LanguageClient, workspace: Path) -> None:
    text = TEXT.replace("\t<key>PayloadDisplayName</key>\n\t<string>Fleet enrollment",
                        "\t<!-- shown in Settings -->\n\t<key>PayloadDisplayName</key>\n"
                        "\t<string>Fleet enrollment")
    path = workspace / "enrollment.mobileconfig"
    uri = open_document(client, path, text)
    await published(client, uri, 1)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=_identifier(uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=False)))
    assert edits is not None
    assert list(edits) == []  # the comment stays where it is: nothing to change
    assert not client.messages


@pytest.mark.asyncio
async def test_formatting_refuses_what_the_reader_refuses(client: LanguageClient,
                                                          workspace: Path) -> None:
    path = workspace / "enrollment.mobileconfig"
    broken = TEXT.replace("</key>\n\t\t\t<integer>2", "</ke\n\t\t\t<integer>2")
    uri = open_document(client, path, broken)
    await published(client, uri, 1)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=_identifier(uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=False)))
    assert edits is None
    (message,) = client.messages
    assert message.type == types.MessageType.Warning
    assert message.message == (f"profilesmith: {path}:43: malformed XML: expected '>' "
                               "(PAR001); left untouched")
