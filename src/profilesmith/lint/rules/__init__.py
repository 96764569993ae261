"""Rule families, one module each. Importing this package registers every rule.

Rule modules import only the standard library and profilesmith at module level; anything
heavy (cryptography, asn1crypto) is imported inside the rule that needs it, so that
linting a plain profile stays fast to start. The list is explicit because discovering
modules with pkgutil costs more to import than all of the rules together; a test checks
it names every module of the package.

May import: profilesmith.lint.registry and context, profilesmith.mdm, profilesmith.cms,
profilesmith.ddm, profilesmith.schema, profilesmith.plist, profilesmith.base — never the
engine.
"""

from __future__ import annotations

from profilesmith.lint.rules import (  # noqa: F401
    certificates,
    commands,
    ddm,
    ddm_predicates,
    ddm_protocol,
    ddm_sets,
    encryption,
    extensions,
    mdm,
    messages,
    parse,
    privacy,
    scep,
    schema,
    secrets,
    signature,
    structure,
    suppression,
    update,
)

MODULES = (
    "certificates", "commands", "ddm", "ddm_predicates", "ddm_protocol", "ddm_sets",
    "encryption", "extensions", "mdm", "messages", "parse", "privacy", "scep", "schema",
    "secrets", "signature", "structure", "suppression", "update",
)
