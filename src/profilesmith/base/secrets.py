"""Which keys hold secrets: values under them are never echoed in a message.

Shared by the readers (a value that fails to decode is not shown when its key names a
secret), the schema findings, ``diff`` and ``convert``: a key whose name says password,
challenge, secret, token, ... and everything below it.
"""

from __future__ import annotations

import re

from profilesmith.base.lazyre import lazy

SECRET_KEY = lazy(r"password|passphrase|passcode|secret|challenge|token|pin$|privatekey|"
                  r"credential|^key$|keydata|otp", re.IGNORECASE)
NOT_SHOWN = "a value not shown (its key names a secret)"


def secret_pointer(pointer: str) -> bool:
    """True when a token of the JSON Pointer (a key on the way to the value) names a
    secret."""
    return any(SECRET_KEY.search(token) for token in pointer.split("/") if token)
