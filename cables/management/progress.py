"""A small progress line for management commands, drawn only on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, *, total: int | None, label: str, stream: TextIO | None = None):
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.started = time.monotonic()
        self._last_draw = 0.0

    def update(self, done: int, *, extra: str = "", force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.2:
            return
        self._last_draw = now
        rate = done / max(now - self.started, 1e-6)
        if self.total:
            width = 30
            filled = int(width * min(done, self.total) / self.total)
            bar = "#" * filled + "-" * (width - filled)
            line = f"[{bar}] {done:,}/{self.total:,} {self.label}"
        else:
            line = f"{done:,} {self.label}"
        line += f"  {rate:,.0f}/s {extra}"
        self.stream.write("\r" + line[:150].ljust(100))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
