"""A hard time budget for one step of a batch (parsing one cable): the last line of
defence against an input that makes the parser slow, whatever the reason.

``SIGALRM`` from an interval timer interrupts the step: the parser is pure Python (its
regular expressions check for signals too), so the handler's exception lands inside
it and unwinds it; the parser keeps no state between calls, so nothing is left half
done. Signals reach the main thread only: elsewhere (or where there is no
``SIGALRM``) the budget is not enforced, and a warning says so.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

logger = logging.getLogger(__name__)


class BudgetExceeded(BaseException):
    """Raised inside the guarded step when its time is up. A ``BaseException``, so that
    no ``except Exception`` in the guarded code can swallow it."""


class TimeBudget:
    """Guard steps with ``seconds`` each::

        with TimeBudget(5) as budget:
            for item in items:
                try:
                    budget.start()
                    result = step(item)
                    budget.stop()
                except BudgetExceeded:
                    budget.stop()
                    ...  # report the item, go on

    The handler is installed for the whole block and raises only between
    ``start()`` and ``stop()`` (once per ``start``), so a late alarm never hits other
    code; on leaving the block the previous handler and timer are restored. ``seconds``
    0 or None: no budget."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self._armed = False
        self._installed = False
        self._previous_handler = None
        self._previous_timer = (0.0, 0.0)
        self._installed_at = 0.0

    @property
    def enforced(self) -> bool:
        return self._installed

    def __enter__(self) -> TimeBudget:
        if self.seconds is None:
            return self
        if not hasattr(signal, "setitimer"):
            logger.warning("no interval timers here: the parse time budget is not enforced")
            return self
        if threading.current_thread() is not threading.main_thread():
            logger.warning("not the main thread: the parse time budget is not enforced")
            return self
        self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        self._previous_timer = signal.setitimer(signal.ITIMER_REAL, 0)
        self._installed_at = time.monotonic()
        self._installed = True
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._installed:
            return
        self._armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous_handler)
        remaining, interval = self._previous_timer
        if remaining > 0:  # someone else's timer was running: let it go on
            left = remaining - (time.monotonic() - self._installed_at)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)
        self._installed = False

    def start(self) -> None:
        if self._installed:
            self._armed = True
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        """End the step; safe to call twice (after :class:`BudgetExceeded` too)."""
        self._armed = False
        if self._installed:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _on_alarm(self, signum, frame) -> None:
        if self._armed:
            self._armed = False  # at most one exception per step
            raise BudgetExceeded(f"took longer than {self.seconds:g} s")
