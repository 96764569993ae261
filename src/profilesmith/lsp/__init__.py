"""``profilesmith lsp``: the linter, the schemas and the fixes served to editors over the
Language Server Protocol (pygls, lsprotocol; ``pip install 'profilesmith[lsp]'``).

Modules: ``text`` (lines and positions as LSP counts them, UTF-8/16/32 columns),
``documents`` (which editor documents are ours, the bytes the reader gets), ``options``
(the project's config per directory), ``diagnostics`` (findings -> LSP diagnostics),
``outline`` / ``xmloutline`` / ``jsonoutline`` (a tolerant outline of half-typed text:
where the cursor is), ``snapshot`` (one version of a document), ``facts`` (what the
schemas say about a key), ``hover``, ``completion``, ``fixes`` (code actions,
formatting), ``server`` (the server's state and its debounced linting), ``features``
(the LSP methods, and ``serve``).

A feature package beside render and diff: may import profilesmith.lint, profilesmith.mdm,
profilesmith.cms, profilesmith.schema, profilesmith.plist and profilesmith.base, never
click or profilesmith.cli. Only ``server`` and ``features`` need pygls; the other
modules are plain Python (``diagnostics`` builds lsprotocol's types), tested without a
client.
"""
