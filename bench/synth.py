"""Deterministic bilingual synthetic corpora for the scale benchmarks: nothing is downloaded.

Why synthetic: the shipped corpus has 56 chunks; cost at 1k-100k chunks needs text with the shape of
real news text (paragraph and sentence lengths, a Zipf-distributed vocabulary, English and Korean,
bilingual articles that interleave a paragraph and its translation), not real content. The same
`seed` always gives byte-identical documents and questions, so runs on different machines compare.

Lengths follow the shipped articles: paragraphs of 1-5 sentences (~120-650 characters), English
sentences of 8-30 words, Korean sentences of 5-14 eojeol ending in a verb form, a title line first.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

EN_FUNCTION = (
    "the of and to in a for on that with as by at from is was said will has have are be it its "
    "which this after about their more than two new over also but not".split()
)
KO_PARTICLES = ("은", "는", "이", "가", "을", "를", "에", "에서", "의", "와", "과", "도", "으로", "로")
KO_ENDINGS = (
    "했다",
    "밝혔다",
    "말했다",
    "전했다",
    "강조했다",
    "예정이다",
    "있다",
    "됐다",
    "보인다",
    "설명했다",
)
KO_SYLLABLES = (
    "가나다라마바사아자차카타파하거너더러머버서어저처고노도로모보소오조초구누두루무부수우주"
    "기니디리미비시이지치한국정부대통령회의외교장관북미러중일경제무역협력안보군사발표관계"
    "동맹지원문제기자시장산업기술연구교육문화사회개발전략계획"
)
EN_ONSETS = (
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "st",
    "tr",
    "pl",
    "br",
    "ch",
    "sh",
)
EN_VOWELS = ("a", "e", "i", "o", "u", "ea", "ou", "io", "ai")
EN_CODAS = ("", "n", "r", "s", "t", "l", "nd", "st", "ng", "m", "ck")
EN_SUFFIXES = ("", "", "", "s", "ed", "ing", "tion", "er", "al", "ly")


@dataclass(frozen=True)
class SynthDoc:
    name: str
    text: str
    langs: str  # "en", "ko" or "en+ko" (interleaved paragraph/translation, like the shipped article)
    paragraphs: int


def _zipf_weights(n: int, s: float = 1.1, q: float = 20.0) -> list[float]:
    """Zipf-Mandelbrot: the offset `q` keeps the most common content word near 1% of tokens, as in
    news text (a plain Zipf law would make it 10%)."""
    return [1.0 / math.pow(rank + 1 + q, s) for rank in range(n)]


class _Vocab:
    """A seeded pseudo-word vocabulary per language with Zipf frequencies (what BM25 postings see)."""

    def __init__(self, rng: random.Random, size: int) -> None:
        en: set[str] = set()
        while len(en) < size:
            syll = rng.randint(1, 3)
            word = "".join(rng.choice(EN_ONSETS) + rng.choice(EN_VOWELS) for _ in range(syll))
            en.add(word + rng.choice(EN_CODAS) + rng.choice(EN_SUFFIXES))
        ko: set[str] = set()
        while len(ko) < size:
            ko.add("".join(rng.choice(KO_SYLLABLES) for _ in range(rng.choice((2, 2, 2, 3, 3, 4)))))
        self.en = sorted(en)
        self.ko = sorted(ko)
        rng.shuffle(self.en)
        rng.shuffle(self.ko)
        cum = 0.0
        self.cum: list[float] = []
        for w in _zipf_weights(size):
            cum += w
            self.cum.append(cum)

    def words(self, rng: random.Random, lang: str, n: int) -> list[str]:
        pool = self.en if lang == "en" else self.ko
        return rng.choices(pool, cum_weights=self.cum, k=n)


def _en_sentence(rng: random.Random, vocab: _Vocab) -> str:
    n = rng.randint(8, 30)
    content = vocab.words(rng, "en", n)
    out = [w if rng.random() < 0.62 else rng.choice(EN_FUNCTION) for w in content]
    if rng.random() < 0.3:
        out.insert(rng.randrange(len(out)), f"{rng.randint(2, 90000):,}")
    out[0] = out[0].capitalize()
    if rng.random() < 0.25:  # a proper name
        i = rng.randrange(len(out))
        out[i] = out[i].capitalize()
    return " ".join(out) + rng.choice((".", ".", ".", ".", "?", "!"))


def _ko_sentence(rng: random.Random, vocab: _Vocab) -> str:
    n = rng.randint(5, 14)
    words = vocab.words(rng, "ko", n)
    out = [w + rng.choice(KO_PARTICLES) if rng.random() < 0.7 else w for w in words]
    if rng.random() < 0.3:
        out.insert(
            rng.randrange(len(out)), f"{rng.randint(2, 9000)}{rng.choice(('명', '개', '년', '억 원', '%'))}"
        )
    return " ".join(out) + " " + rng.choice(KO_ENDINGS) + "."


def _paragraph(rng: random.Random, vocab: _Vocab, lang: str, max_chars: int = 650) -> str:
    make = _en_sentence if lang == "en" else _ko_sentence
    sentences = [make(rng, vocab) for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5)))]
    text = " ".join(sentences)
    while len(text) > max_chars and len(sentences) > 1:
        sentences.pop()
        text = " ".join(sentences)
    return text[:max_chars]


def generate(target_chunks: int, seed: int = 7, vocab_size: int = 20000) -> list[SynthDoc]:
    """Documents whose paragraphs (+ one title chunk each) add up to about `target_chunks`.

    Every paragraph is kept under the product's 700-character chunk cap, so one paragraph is one
    chunk and the chunk count is predictable; the exact indexed count is read back from the index.
    """
    rng = random.Random(seed)
    vocab = _Vocab(rng, vocab_size)
    docs: list[SynthDoc] = []
    total = 0
    while total < target_chunks:
        langs = rng.choices(("en", "ko", "en+ko"), weights=(0.4, 0.3, 0.3))[0]
        paras = rng.randint(8, 60)
        paras = max(2, min(paras, target_chunks - total - 1))
        title_lang = "ko" if langs == "ko" else "en"
        title = " ".join(vocab.words(rng, title_lang, rng.randint(4, 9))).capitalize()
        body: list[str] = []
        while len(body) < paras:
            if langs == "en+ko":
                body.append(_paragraph(rng, vocab, "en"))
                body.append(_paragraph(rng, vocab, "ko", max_chars=450))
            else:
                body.append(_paragraph(rng, vocab, langs))
        body = body[:paras]
        name = f"doc{len(docs):06d}_{langs.replace('+', '')}.txt"
        docs.append(SynthDoc(name, title + "\n\n" + "\n\n".join(body) + "\n", langs, len(body)))
        total += len(body) + 1
    return docs


def write(docs: Sequence[SynthDoc], folder: Path) -> Path:
    """Write the documents into `folder` (skipping files already identical, so a resumed run is cheap)."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        path = folder / d.name
        data = d.text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return folder


def questions(docs: Sequence[SynthDoc], n: int, seed: int = 11) -> list[str]:
    """Questions built from words of random paragraphs, half English and half Korean, so BM25 and the
    answerer see query terms with real posting lists (a question of unknown words would be free)."""
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(n):
        want = "en" if i % 2 == 0 else "ko"
        doc = rng.choice([d for d in docs if want in d.langs] or list(docs))
        paras = doc.text.split("\n\n")[1:]
        lang_paras = [p for p in paras if _is_korean(p) == (want == "ko")] or paras
        words = [w.strip(".,?!") for w in rng.choice(lang_paras).split()]
        words = [w for w in words if len(w) > 3 or (want == "ko" and len(w) > 1)]
        picked = rng.sample(words, min(len(words), rng.randint(3, 6)))
        if want == "en":
            out.append(f"What did {' '.join(picked[:-1])} say about {picked[-1]}?")
        else:
            out.append(f"{' '.join(picked)}에 대해 무엇을 밝혔나?")
    return out


def _is_korean(text: str) -> bool:
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    return hangul > len(text) * 0.2


def fingerprint(docs: Sequence[SynthDoc]) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(d.name.encode())
        h.update(b"\0")
        h.update(d.text.encode("utf-8"))
    return h.hexdigest()
