"""Where each value sits in a JSON or TOML values file (the parsers keep no positions).

JSON: a small tokenizer follows objects and arrays and records the line of every member
(its key) and item. TOML: best effort, ``key =`` lines and ``[table]`` headers; arrays
of tables are not tracked. Used only for messages.
"""

from __future__ import annotations

import json
import re
from typing import Any

Path = tuple[str | int, ...]

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def json_lines(text: str) -> dict[Path, int]:
    """The line of every object member (its key) and array item in a JSON text."""
    lines: dict[Path, int] = {}
    stack: list[list[Any]] = []  # [kind, path, key or index, expecting a key]
    line, last = 1, 0
    for match in _JSON_TOKEN.finditer(text):
        start = match.start()
        line += text.count("\n", last, start)
        last = start
        token = match.group()
        top = stack[-1] if stack else None
        if token in ("}", "]"):
            if stack:
                stack.pop()
            continue
        if token == ":":
            continue
        if token == ",":
            if top is not None:
                if top[0] == "arr":
                    top[2] += 1
                else:
                    top[3] = True
            continue
        if top is not None and top[0] == "obj" and top[3]:
            top[2] = json.loads(token) if token.startswith('"') else token
            top[3] = False
            lines[(*top[1], top[2])] = line
            continue
        path: Path = ()
        if top is not None:
            path = (*top[1], top[2])
            if top[0] == "arr":
                lines[path] = line
        if token == "{":
            stack.append(["obj", path, None, True])
        elif token == "[":
            stack.append(["arr", path, 0, False])
    return lines


_TOML_TABLE = re.compile(r"\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?")
_TOML_KEY = re.compile(r"\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
                       r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def toml_lines(text: str) -> dict[Path, int]:
    """Best-effort lines of TOML keys (tomllib keeps none): ``key =`` lines and
    ``[table]`` headers; arrays of tables are not tracked."""
    lines: dict[Path, int] = {}
    table: Path = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_TABLE.fullmatch(line)
        if header:
            table = _toml_keys(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _TOML_KEY.match(line)
        if key:
            lines.setdefault((*table, *_toml_keys(key.group(1))), number)
    return lines


def _toml_keys(text: str) -> Path:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)
