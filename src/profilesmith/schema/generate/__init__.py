"""The schema generator: Apple's device-management YAML (github.com/apple/device-management)
-> profilesmith's JSON Schemas (schemas/README.md describes the mapping and the dialect).

``scripts/generate_schemas.py`` runs it to write the bundled ``schemas/``; ``--apple-data``
runs it at lint time on a user's newer copy of the data (:mod:`profilesmith.schema.sources`
caches the result). Modules: common (constants, YAML, platform facts), keys (payload keys
-> schema), overrides (corrections to Apple's data), profiles, commands, messages (responses,
check-ins, errors), ddm (declarations, status, protocol), run (everything, and writing it).

Imports PyYAML, so nothing on the lint path imports this package unless asked to.
May import: profilesmith.base.
"""

from __future__ import annotations
