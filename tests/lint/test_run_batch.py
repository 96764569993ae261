"""lint.run over many files: the collector's settings, cross-file placement, workers."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from profilesmith.lint import run as lint_run
from profilesmith.lint.discover import expand
from tests.conftest import options
from tests.lint.test_engine import DUPLICATE


def test_batch_collects_rarely_and_restores_the_callers_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        (tmp_path / f"p{i}.mobileconfig").write_bytes(DUPLICATE)
    seen: list[tuple[tuple[int, int, int], int]] = []
    real = lint_run.lint_target

    def spy(*args: object, **kwargs: object) -> object:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lint_run, "lint_target", spy)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        done = lint_run.lint_targets(expand([str(tmp_path)]), options())
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)
    assert len(done.files) == 3
    assert [threshold for threshold, _ in seen] == [(10_000, 10, 10)] * 3
    assert all(frozen > 0 for _, frozen in seen)
