"""The outline of a JSON document (a DDM declaration) in any state of typing (see
:mod:`profilesmith.lsp.outline`).

A scan of JSON's tokens: a string left open ends at the end of its line, a string followed
by a colon is a key (whatever came before it), a missing comma or colon is assumed, a
stray bracket is skipped, an object or array never closed reaches
the end of the text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from profilesmith.lsp.outline import Builder, Member, Node
from profilesmith.lsp.xmloutline import Outline

_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\\r\n]|\\.)*(?:"|(?=[\r\n])|\Z))'
    r"|(?P<number>-?[0-9][0-9.eE+\-]*)"
    r"|(?P<literal>true|false|null)"
    r"|(?P<punct>[{}\[\]:,])"
    r"|(?P<other>[^\s{}\[\]:,\"]+)"
)
_COLON = re.compile(r"\s*:")


def _string(token: str) -> str:
    body = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
    try:
        value = json.loads(f'"{body}"')
    except ValueError:
        return body
    return value if isinstance(value, str) else body


def _scalar(kind: str, token: str) -> Any:
    if kind == "literal":
        return {"true": True, "false": False, "null": None}[token]
    try:
        return json.loads(token)
    except ValueError:
        return None


class _Scanner(Builder):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.expect_key = False  # in an object: the next string is a key

    def run(self) -> Outline:
        for match in _TOKEN.finditer(self.text):
            kind = match.lastgroup
            token = match.group()
            start, end = match.span()
            if kind == "punct":
                self.punctuation(token, start, end)
            elif kind == "string":
                closed = len(token) > 1 and token.endswith('"') and not token.endswith('\\"')
                inner = (start + 1, end - 1 if closed else end)
                top = self.stack[-1] if self.stack else None
                colon = _COLON.match(self.text, end) is not None  # "...": is always a key
                if top is not None and top.shape == "dict" and (
                        colon or self.expect_key or not top.members
                        or top.members[-1].value is not None):
                    top.members.append(Member(_string(token), start, end, inner))
                    self.expect_key = False
                else:
                    node = Node("scalar", "string", start, end)
                    node.inner = inner
                    node.value = _string(token)
                    self.attach(node)
            elif kind in ("number", "literal"):
                node = Node("scalar", kind, start, end)
                node.inner = (start, end)
                node.value = _scalar(kind, token)
                self.attach(node)
        return Outline(self.root, [])

    def punctuation(self, token: str, start: int, end: int) -> None:
        if token in "{[":
            node = Node("dict" if token == "{" else "array", "object" if token == "{"
                        else "array", start)
            self.attach(node)
            self.stack.append(node)
            self.expect_key = token == "{"
        elif token in "}]":
            shape = "dict" if token == "}" else "array"
            for depth in range(len(self.stack) - 1, -1, -1):
                if self.stack[depth].shape == shape:
                    for unclosed in self.stack[depth + 1:]:
                        unclosed.end = start
                    self.stack[depth].end = end
                    del self.stack[depth:]
                    break
            self.expect_key = False
        elif token == ",":
            self.expect_key = bool(self.stack) and self.stack[-1].shape == "dict"
        # ":" changes nothing: after a key, a value is what comes anyway

    def attach(self, node: Node) -> None:
        self.expect_key = False
        super().attach(node)


def outline(text: str) -> Outline:
    return _Scanner(text).run()
