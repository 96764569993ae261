#!/usr/bin/env python3
"""Generate profilesmith's JSON Schemas from Apple's device-management YAML data.

    python scripts/generate_schemas.py [SOURCE] [--out DIR]

SOURCE is a copy of github.com/apple/device-management (default: ../shared/apple-device-management
next to the repository); DIR defaults to the repository's schemas/. Writes

    DIR/plist.schema.json                   the shared $defs for <data> and <date>
    DIR/profile.schema.json                 from mdm/profiles/TopLevel.yaml (+ CommonPayloadKeys)
    DIR/payloads/<PayloadType>.schema.json  one per payload type in mdm/profiles/
    DIR/commands/<RequestType>.schema.json  the Command dictionary of each mdm/commands/ file
    DIR/command-rights.json                 the AccessRights each command (and part) needs
    DIR/responses/<RequestType>.schema.json a device's response to each command (responsekeys
                                            + the curated DIR/response-envelope.schema.json)
    DIR/responses/index.json                each response's top-level keys (which command?)
    DIR/checkin/<MessageType>.schema.json   mdm/checkin/ (and checkin-responses/ for GetToken...)
    DIR/errors/<code>.schema.json           mdm/errors/: a server's HTTP 403 error bodies
    DIR/declarations/<Type>.schema.json     declarative/declarations/ (envelope: declarationbase)
    DIR/ddm-credentials/<type>.schema.json  declarative/declarations/assets/credentials/
    DIR/ddm/status-items.json               declarative/status/: the status item catalogue
    DIR/ddm-protocol/<RequestType>.schema.json  declarative/protocol/ (StatusReport nests items)

The modules are in scripts/schemagen/ (common, keys, overrides, profiles, commands, messages,
ddm, cli); schemas/README.md describes the mapping and the annotations.

Only structure is used (key names, types, presence, rangelist, range, format, subtype,
default, supportedOS, assettypes, combinetype, ...); Apple's prose (title, description,
content) is never copied. Output is deterministic: sorted keys, two-space indentation, a
trailing newline. A file that exists
without the "x-generated" marker is hand-curated and is never overwritten; generated files
that the current data no longer produces are deleted.

Several YAML files may describe one payload type (com.apple.MCX has six, one per area;
com.apple.extensiblesso has a general file and a Kerberos one). They are merged: the file
named exactly <PayloadType>.yaml, if any, wins a key that several files describe, the others
add their keys; a key is required only when every file requires it; the payload's platforms
are the union of the files' platforms.
"""

from __future__ import annotations

import sys
from pathlib import Path

# the generator's modules live next to this script (scripts/schemagen/); the tests load this
# file by path, so the directory is not necessarily on sys.path yet
sys.path.insert(0, str(Path(__file__).resolve().parent))

from schemagen.cli import generate, main, write

__all__ = ["generate", "main", "write"]

if __name__ == "__main__":
    sys.exit(main())
