"""Batches on every CPU: worker processes forked from this one.

Forked workers inherit what the parent has loaded (a Signer's private key, a compiled
template, the rules): nothing is pickled on the way in but the work items, and no key
material leaves the process tree. Where fork is unavailable (Windows, macOS's default
spawn), batches run in this process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_STATE: dict[str, Any] = {}


@contextmanager
def worker_pool(jobs: int, count: int, **state: Any) -> Iterator[Any]:
    """A ProcessPoolExecutor of forked workers that see ``state`` (see :func:`inherited`),
    or None when one process is enough (jobs <= 1, fewer than two items, no fork)."""
    if jobs <= 1 or count < 2:  # before importing multiprocessing: ~20 ms of CPU alone
        yield None
        return
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    _STATE.clear()
    _STATE.update(state)  # before the fork: the workers are copies of this process
    pool = ProcessPoolExecutor(max_workers=min(jobs, count), initializer=_worker_signals,
                               mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool
    except BaseException:
        # interrupted or failed: the rows not started yet are dropped, not waited for
        pool.shutdown(cancel_futures=True)
        raise
    finally:
        pool.shutdown()
        _STATE.clear()


def _worker_signals() -> None:
    """A Ctrl-C reaches the whole process group: the parent stops the batch and cleans
    up; a worker printing its own KeyboardInterrupt would only add tracebacks. SIGTERM
    ends a worker at once, as it would without the parent's handler."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def inherited(name: str) -> Any:
    """In a worker: the state the pool was made with."""
    return _STATE[name]
