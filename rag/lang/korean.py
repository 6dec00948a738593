"""Korean particles and predicate endings, stripped so "서울은" keys on "서울" and "발표했나" on "발표"."""

from __future__ import annotations

from functools import lru_cache

# Longest first, so "에서는" is tried before "에서" before "에". "이나"/"나" are left out: too many nouns
# end in them ("우크라이나"), and bigrams still match the rare "A나 B" form.
_PARTICLES = sorted(
    """은 는 이 가 을 를 의 에 와 과 도 만 로 으로 에서 에게 에게서 한테 께서 까지 부터 보다 처럼 마다 조차
    이랑 랑 과의 와의 에는 에도 에서는 에서도 으로는 로는 으로서 로서 으로써 로써 이라는 라는 이란 란
    이며 이고 이었다 였다 이다 입니다 인가 인가요 이라고 라고 들 들은 들이 들을 들의""".split(),
    key=len,
    reverse=True,
)


CASE_PARTICLES = frozenset(
    "은 는 을 를 이 가 의 에 에서 에게 와 과 으로 로 도 만 에는 에서는 까지 부터".split()
)


# Question/predicate endings: "발표했나" keys on "발표", marked as a predicate (paraphrased freely).
_ENDINGS = sorted(
    """했나요 했나 했습니까 했는가 했는지 했다고 했다 하나요 합니까 하는가 인가요 인가 입니까 인지 일까요
    됩니까 되나요 되었나요 됐나요 었나요 았나요 였나요 나요 까요 습니까 니까 는가 는지 던가 였나 었나 았나 요
    리나 렸나 하나 되나 은가 되었나 됐나 했을까 할까 하는""".split(),
    key=len,
    reverse=True,
)


@lru_cache(maxsize=65536)
def strip_particle(word: str) -> str:
    """Drop one trailing particle when at least two syllables remain ("서울은" -> "서울", "우크라이나" kept),
    or any that "으로" opens, which no noun's own syllables do ("명으로" -> "명", not "명으")."""
    for p in _PARTICLES:
        if word.endswith(p) and (len(word) - len(p) >= 2 or (p.startswith("으로") and len(word) > len(p))):
            return word[: -len(p)]
    return word


@lru_cache(maxsize=65536)
def strip_ending(word: str) -> str:
    for e in _ENDINGS:
        if word.endswith(e) and len(word) - len(e) >= 1:
            return word[: -len(e)]
    return word
