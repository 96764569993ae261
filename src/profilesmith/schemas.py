"""Schema validation of documents (placeholder until the schema work lands)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from profilesmith.document import Document
from profilesmith.registry import Hit


def check(doc: Document, ctx: Any) -> Iterator[tuple[str, Hit]]:
    return iter(())
