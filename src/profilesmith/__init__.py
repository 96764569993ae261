"""profilesmith: author, lint, sign and verify Apple device-management files.

The package is layered; each layer imports only the layers below it (import-linter checks
it in CI, docs/architecture.md explains it)::

    cli            the click commands: parse options, call the core, print, exit codes
    render | diff  authoring (templates, values, command plists, batches) | profile updates
    lint           engine, rule registry and rules, config, discovery, reporters
    mdm | cms      Apple's MDM knowledge (AccessRights, commands, certificates, URLs) |
                   CMS signing, verification and encryption
    schema         bundled JSON Schemas, the compiled validator, schema findings
    plist          the Document model, readers with positions, writer, projections
    base           findings, JSON Pointers, bundled data, files, small text helpers
"""

__version__ = "0.1.0"
