"""RFC 6901 JSON Pointers: how findings name a value inside a document."""

from __future__ import annotations


def escape_pointer_token(token: str | int) -> str:
    """RFC 6901 escaping of one reference token."""
    text = str(token)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return text


def unescape_pointer_token(token: str) -> str:
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def pointer_tokens(pointer: str) -> list[str]:
    """The unescaped reference tokens of a JSON Pointer ("" has none)."""
    return [unescape_pointer_token(t) for t in pointer.split("/")[1:]]


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(t) for t in tokens)


def parent_pointer(pointer: str) -> str | None:
    if not pointer:
        return None
    return pointer[: pointer.rfind("/")]
