"""The warm query engines behind the page, one per answer mode the user picked in the settings panel.

`Engine` fixes its answer mode when it is built (from `Settings.answer_mode`), so a per-request mode
override is served by a second engine built lazily with that mode. After an upload or delete the
engines are rebuilt and swapped in as a whole rather than reloaded in place: a question that is
streaming on another session keeps the engine it started with, and never sees half-reloaded indexes.
"""

from __future__ import annotations

import threading

from rag.core.config import AnswerMode, Settings
from rag.engine import Engine


class Engines:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._by_mode: dict[str, Engine] = {settings.answer_mode: Engine(settings)}

    @property
    def default(self) -> Engine:
        return self.get(self.settings.answer_mode)

    def get(self, mode: AnswerMode | str | None) -> Engine:
        mode = mode or self.settings.answer_mode
        with self._lock:
            engine = self._by_mode.get(mode)
        if engine is None:
            # Built outside the lock: loading takes a moment and must not stall other sessions.
            engine = Engine(self.settings.model_copy(update={"answer_mode": mode}))
            with self._lock:
                engine = self._by_mode.setdefault(mode, engine)
        return engine

    def reload(self) -> None:
        """Call after the index changed (upload/delete): fresh engines for the next questions."""
        fresh = Engine(self.settings)
        with self._lock:
            self._by_mode = {self.settings.answer_mode: fresh}
