"""Requests read the store together; a newer catalog is loaded only between them.

An ingest (in this process or another) commits by replacing `catalog.json`. A request that
is reading the store when that happens must finish on the catalog, vectors and BM25 it
started with, and the next request must see the new ones: never half old, half new. Each
request reads inside `StoreGate.reading()`; when the catalog file has changed, the gate waits
until no request is reading, refreshes the store (which reopens its vectors), and lets
requests in again. Reading is reentrant within a thread, so a request may call several
`Assistant` methods in one view. It leaves out writing, which `index.ingest` serialises
with its own lock.

Example:
    gate = StoreGate(store)
    with gate.reading():
        answer = ...  # store.catalog stays the same object until the block ends
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from index.store import Store


class StoreGate:
    """Shared reading of one store, with refreshes in between (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._seen = self._stamp()
        self._turn = threading.Condition()
        self._readers = 0
        self._refreshing = False
        self._depth = threading.local()

    def _stamp(self) -> int:
        """The catalog file's modification time in ns (-1 when there is none): it changes with every commit."""
        path = self.store.catalog_path
        return path.stat().st_mtime_ns if path.is_file() else -1

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Hold the store still for this block, refreshing it first if an ingest has committed since."""
        depth = getattr(self._depth, "value", 0)
        if depth == 0:
            self._enter()
        self._depth.value = depth + 1
        try:
            yield self.store
        finally:
            self._depth.value = depth
            if depth == 0:
                self._leave()

    def _enter(self) -> None:
        with self._turn:
            while self._refreshing:
                self._turn.wait()
            stamp = self._stamp()
            if stamp != self._seen:
                self._refreshing = True
                try:
                    while self._readers:
                        self._turn.wait()
                    self.store.reload()
                    self._seen = stamp
                finally:
                    self._refreshing = False
                    self._turn.notify_all()
            self._readers += 1

    def _leave(self) -> None:
        with self._turn:
            self._readers -= 1
            if not self._readers:
                self._turn.notify_all()
