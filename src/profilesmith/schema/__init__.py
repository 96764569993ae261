"""The JSON Schemas: ``bundle`` loads the bundled files and compiles each once into a
``validator`` closure; ``check`` picks which dictionaries of a Document to validate against
which schema; ``report`` turns validation errors into SCH/AVL hits, with the device
tolerances and without echoing secrets.

May import: profilesmith.plist, profilesmith.base.
"""
