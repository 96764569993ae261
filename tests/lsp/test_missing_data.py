"""The language server of an installation without its schemas says so in a pop-up, once,
instead of failing every lint into its log."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from tests.lsp.conftest import DATA, _start, change_document, open_document

import profilesmith

# the package copied without the _data/ it ships (made once, at import: the server's
# command line is fixed when the fixture is declared)
_BROKEN = Path(tempfile.mkdtemp(prefix="profilesmith-no-data-"))
atexit.register(shutil.rmtree, _BROKEN, True)
shutil.copytree(Path(profilesmith.__file__).parent, _BROKEN / "src" / "profilesmith",
                ignore=shutil.ignore_patterns("_data", "__pycache__"))
BROKEN = ClientServerConfig(
    server_command=[sys.executable, "-m", "profilesmith", "lsp"],
    server_env={**os.environ, "PYTHONWARNINGS": "error",
                "PYTHONPATH": str(_BROKEN / "src")},
)


@pytest_lsp.fixture(config=BROKEN)
async def broken(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await _start(lsp_client, "visual-studio-code", workspace)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_missing_schemas_are_said_once(broken: LanguageClient, workspace: Path) -> None:
    path = workspace / "enrollment.mobileconfig"
    shutil.copyfile(DATA / "enrollment.mobileconfig", path)
    uri = open_document(broken, path)
    for _ in range(100):
        if broken.messages:
            break
        await asyncio.sleep(0.05)
    change_document(broken, uri, 2, path.read_text() + "\n")
    await asyncio.sleep(0.5)  # linted again: not said again
    (message,) = broken.messages
    assert message.type == types.MessageType.Error
    assert message.message == (
        "profilesmith: profilesmith's schemas are missing (neither in the package's _data/ "
        "nor beside src/ in a checkout): the installation is incomplete; reinstall "
        "profilesmith")
