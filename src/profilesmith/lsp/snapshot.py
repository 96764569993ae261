"""One version of an editor document, as hover, completion and code actions see it: the
text, its line index, and (built on first use) its tolerant outline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from profilesmith.lsp.documents import Kind
from profilesmith.lsp.outline import Cursor, find, locate, to_value
from profilesmith.lsp.text import LineIndex
from profilesmith.lsp.xmloutline import Outline

if TYPE_CHECKING:
    from profilesmith.lsp.fixes import Formatted


class Snapshot:
    __slots__ = ("_formatted", "_outline", "_value", "index", "kind", "text", "version")

    def __init__(self, text: str, kind: Kind, version: int | None = None,
                 index: LineIndex | None = None) -> None:
        self.text = text
        self.kind = kind
        self.version = version
        self.index = index if index is not None else LineIndex(text)
        self._outline: Outline | None = None
        self._value: Any = None
        self._formatted: Formatted | None = None

    @property
    def outline(self) -> Outline:
        if self._outline is None:
            if self.kind == "json":
                from profilesmith.lsp.jsonoutline import outline
            else:
                from profilesmith.lsp.xmloutline import outline
            self._outline = outline(self.text) if self.kind != "binary" else Outline(None, [])
        return self._outline

    @property
    def value(self) -> Any:
        """The document's values as far as the text says (for telling its kind and
        type)."""
        if self._value is None:
            self._value = to_value(self.outline.root)
        return self._value

    def value_at(self, tokens: Sequence[str]) -> Any:
        node = find(self.outline.root, tuple(tokens))
        return None if node is None else to_value(node)

    def cursor(self, offset: int) -> Cursor | None:
        outline = self.outline
        return locate(outline.root, offset, outline.partial_at(offset))

    def formatted(self, path: str) -> Formatted:
        """The edits to canonical XML (worked out once per version: editors ask for code
        actions whenever the cursor moves)."""
        if self._formatted is None:
            from profilesmith.lsp.fixes import format_text

            self._formatted = format_text(self.text, path)
        return self._formatted
