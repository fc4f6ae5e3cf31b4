"""A value built once per process and version of the data behind it, shared read-only between threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerVersion(Generic[T]):
    """Keeps the value of the newest version only: `get` builds it again when the version it is given changes
    (under a lock, so two threads never build the same version twice), and otherwise returns it as it is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[object, T] | None = None

    def get(self, version: object, build: Callable[[], T]) -> T:
        cached = self._cached
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._lock:
            if self._cached is not None and self._cached[0] == version:
                return self._cached[1]
            value = build()
            self._cached = (version, value)
            return value
