"""SXT: system extension policy (com.apple.system-extension-policy).

The schema checks the shapes (team identifiers to arrays of strings). These rules are
what Apple's data says only in prose (mdm/profiles/com.apple.system-extension-policy.yaml):
the extension types there are, and that a team may not be both wholly and partly allowed.
"""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.text import did_you_mean
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Payload

POLICY = "com.apple.system-extension-policy"
# "The allowed extension types are 'DriverExtension', 'NetworkExtension', and
# 'EndpointSecurityExtension'."
EXTENSION_TYPES = ("DriverExtension", "NetworkExtension", "EndpointSecurityExtension")


@rule("SXT101", Severity.ERROR, scope="payload", payload_types={POLICY})
def unknown_extension_type(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """AllowedSystemExtensionTypes names a type that is not a system extension type.

    Apple (AllowedSystemExtensionTypes): "The allowed extension types are
    'DriverExtension', 'NetworkExtension', and 'EndpointSecurityExtension'." Any other
    string allows nothing; like a value outside Apple's list elsewhere (SCH003), an error.

    Fails:   <key>ABCDE12345</key><array><string>KernelExtension</string></array>
    Passes:  <key>ABCDE12345</key><array><string>NetworkExtension</string></array>
    """
    table = payload.value.get("AllowedSystemExtensionTypes")
    if not isinstance(table, dict):
        return
    for team, types in table.items():
        if not isinstance(types, list):
            continue
        for index, name in enumerate(types):
            if isinstance(name, str) and name not in EXTENSION_TYPES:
                yield Hit(payload.at("AllowedSystemExtensionTypes", team, index),
                          f"{name!r} is not a system extension type (use "
                          f"{', '.join(EXTENSION_TYPES)}){did_you_mean(name, EXTENSION_TYPES)}")


@rule("SXT102", Severity.ERROR, scope="payload", payload_types={POLICY})
def team_allowed_twice(payload: Payload, ctx: Context) -> Iterator[Hit]:
    """A team identifier is in AllowedTeamIdentifiers and a key of AllowedSystemExtensions.

    Apple (AllowedTeamIdentifiers, AllowedSystemExtensions): "It's an error for the same
    team identifier to appear in both this array and as a key in the
    'AllowedSystemExtensions' dictionary." Allow the whole team, or some of its
    extensions, not both. Reported on the AllowedSystemExtensions key.

    Fails:   ABCDE12345 in AllowedTeamIdentifiers and in AllowedSystemExtensions
    Passes:  ABCDE12345 in one of them
    """
    teams = payload.value.get("AllowedTeamIdentifiers")
    table = payload.value.get("AllowedSystemExtensions")
    if not isinstance(teams, list) or not isinstance(table, dict):
        return
    whole = {t for t in teams if isinstance(t, str)}
    for team in table:
        if team in whole:
            yield Hit(payload.at("AllowedSystemExtensions", team),
                      f"team {team} is also in AllowedTeamIdentifiers: Apple calls that an "
                      "error", at="key")
