"""How an answer came about, one word per case, so a run can say how often the model really answered.

The engine sets `Answer.outcome` to one of these. Measured on SmolLM2-135M (issue 16): every LLM eval
case fell back to the extractive answer and nothing in the report said so; with the outcome on each
answer, `rag eval` counts them and lists them per case.
"""

from __future__ import annotations

EXTRACTIVE = "extractive"  # no LLM configured: the offline answerer
MODEL = "model"  # the model's answer, cited and checked
CUT_OFF = "cut_off"  # the model's answer, cut at the token limit (shown, labelled)
UNCITED = "fallback_uncited"  # the model cited no passage: the extractive answer instead
BAD_MARKERS = "fallback_bad_markers"  # every marker the model wrote named no passage
ECHO = "fallback_echo"  # the model copied the prompt (its <passages> fence) instead of answering
UNSUPPORTED = "fallback_unsupported"  # it cited, but no cited sentence is backed by its passage
REFUSED = "refused"  # no usable model answer, and the extractive answerer found no answer either
TIMEOUT = "fallback_timeout"  # the server did not answer in time
ERROR = "fallback_error"  # unreachable, rejected, failed, broke off, empty or malformed
NO_PASSAGES = "fallback_no_passages"  # retrieval found nothing to give the model

ALL = (
    EXTRACTIVE,
    MODEL,
    CUT_OFF,
    UNCITED,
    BAD_MARKERS,
    ECHO,
    UNSUPPORTED,
    REFUSED,
    TIMEOUT,
    ERROR,
    NO_PASSAGES,
)
# The outcomes where the text shown is the model's.
FROM_MODEL = frozenset({MODEL, CUT_OFF})
