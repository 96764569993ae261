"""The linter: ``engine`` lints one Document (schemas, then rules, then configuration
and suppressions), ``run`` lints many files (workers, cross-file rules), ``registry`` is
how rules are declared, ``catalog`` how they are looked up (it imports ``rules``, one module
per family), ``context`` what a check sees, ``config`` the options from pyproject.toml /
.profilesmith.toml, ``discover`` which files a PATH means, ``reporters`` the output formats.

May import: profilesmith.mdm, profilesmith.cms, profilesmith.schema, profilesmith.plist,
profilesmith.base. Never click, never printing: reporters write to a stream they are given.
"""
