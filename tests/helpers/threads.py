"""Running a function in several threads at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence


def run_threads(n: int, fn: Callable, per_thread: Sequence | None = None) -> list[BaseException]:
    """Start ``n`` threads running ``fn()`` (or ``fn(per_thread[i])``), wait for them all
    and return what they raised, in the order it was raised (empty: none failed)."""
    if per_thread is not None and len(per_thread) != n:
        raise ValueError(f"{len(per_thread)} arguments for {n} threads")
    errors: list[BaseException] = []

    def run(*args) -> None:
        try:
            fn(*args)
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            errors.append(e)

    threads = [threading.Thread(target=run, args=() if per_thread is None else (per_thread[i],)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
