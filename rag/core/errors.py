"""The one base class for errors the user caused or can fix (the CLI prints them as one line, exit 2),
and `redact`, which keeps API keys out of every message shown or logged."""

from __future__ import annotations

import os
import re


class UserError(Exception):
    """Message is a single human-readable line naming the problem."""


def redact(message: str) -> str:
    """API keys never reach logs or the terminal, even inside a library's error text."""
    key = os.environ.get("OPENAI_API_KEY", "")
    if key and len(key) >= 4:
        message = message.replace(key, "***")
    return re.sub(r"\b(sk-[A-Za-z0-9_\-]{3})[A-Za-z0-9_\-*]{8,}", r"\1***", message)
