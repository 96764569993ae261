"""What Apple's Declarative Device Management says, independent of any file: the
declaration catalogue (``catalogue``: each type's category, the references its payload
makes, the status items), the activation predicate language (``predicate``), the formats
and URLs Apple prescribes for some values (``values``), and the JSON documents carried
inside MDM messages (``embedded``: a DeclarativeManagement command's or check-in's Data).

Knowledge only: the DDM lint rules (``lint/rules/ddm*.py``) turn it into findings.

May import: profilesmith.schema, profilesmith.plist, profilesmith.base.
"""
