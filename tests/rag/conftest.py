"""LLM-mode engines for the pipeline's tests: the LLM test index (tests/conftest.py) talking to the local
protocol server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import Indexed

if TYPE_CHECKING:
    from rag.engine import Engine


@pytest.fixture
def make_engine(llm_index: Indexed, llm_env: dict[str, str]) -> Callable[..., Engine]:
    """An engine over the LLM test index talking to the fake server; backoff sleeps are skipped."""
    from rag.engine import Engine

    def make(model: str = "fake-good", **overrides: Any) -> Engine:
        settings = llm_index.settings.model_copy(
            update={"llm_model": model, "llm_backoff_s": 0.0, "llm_timeout_s": 10.0, **overrides}
        )
        engine = Engine(settings)
        if engine.generative is not None:
            engine.generative.client.sleep = lambda _s: None
        return engine

    return make
