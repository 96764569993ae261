"""Authoring: templates + values -> profiles (``build``, ``new``, ``templates``), and MDM
command plists from ``--set`` values (``command``).

Modules: :mod:`.templates` finds and loads templates and their values schemas,
:mod:`.values` loads and merges values files, ``--set`` and ``--set-env``,
:mod:`.coerce` types and validates them against the values schema, :mod:`.environment`
is the sandboxed Jinja environment with the ``plist`` filter, :mod:`.build` renders,
re-reads and lints one profile, :mod:`.batch` does it for every row of a CSV or JSON-lines
file, :mod:`.sample` writes the commented values file ``new`` prints, :mod:`.command`
checks command plists and the profiles they embed.

May import: profilesmith.lint, profilesmith.cms, profilesmith.mdm, profilesmith.schema,
profilesmith.plist, profilesmith.base. Importing this package imports nothing heavy;
jinja2 and jsonschema load on first use.
"""
