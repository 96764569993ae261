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

The generator is the package profilesmith.schema.generate (common, keys, overrides, profiles,
commands, messages, ddm, run), which `lint --apple-data` also runs; this script is its command
line. schemas/README.md describes the mapping and the annotations.

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

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "apple-device-management"
# run from a checkout without an install: the package is in src/
sys.path.insert(0, str(REPO / "src"))

from profilesmith.schema.generate.common import GenerateError  # noqa: E402
from profilesmith.schema.generate.run import generate, write  # noqa: E402

__all__ = ["generate", "main", "write"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate profilesmith's JSON Schemas from Apple's device-management YAML")
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=REPO / "schemas")
    args = parser.parse_args(argv)
    if not (args.source / "mdm" / "profiles").is_dir():
        parser.error(f"{args.source}: not a copy of apple/device-management (no mdm/profiles)")
    try:
        notes = write(args.out, generate(args.source, args.out))
    except GenerateError as exc:
        print(f"generate_schemas.py: {exc}", file=sys.stderr)
        return 1
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
