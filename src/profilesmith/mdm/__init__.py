"""What Apple's MDM protocol says, independent of any file: AccessRights bits and what
each command needs (``rights``), MDM command plists built from typed values (``commands``),
certificates inside payloads (``certificates``, with the lax ``asn1`` reader), URL checks
(``urls``), placeholder values (``placeholders``) and the payload types the rules single out
(``payload_types``).

May import: profilesmith.schema, profilesmith.plist, profilesmith.base.
"""
