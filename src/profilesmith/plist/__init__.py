"""Property lists as Documents: bytes in, a decoded value tree with positions out.

``reader`` dispatches XML (``expatplist`` for the files that have nothing to report in
small runs, else ``xmlplist`` with lxml; ``scalars`` is their shared grammar, positions
are found lazily by ``positions``), binary
(``binary``, decoded by ``bplist``) and CMS-wrapped files (``cmswrap`` takes the content
out without verifying it); ``document`` is the model (Document, Payload, Suppressions),
``problems`` the PAR severities the readers assign; ``writer`` turns values back into
bytes, ``json_projection`` and ``yaml_projection`` map them to JSON and YAML, ``convert``
and format use them all;
``bounds`` holds the limits they share (expanded size, nesting, integer digits).

May import: profilesmith.base (and pyexpat; lxml, asn1crypto, PyYAML inside functions).
"""
