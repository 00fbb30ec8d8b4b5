"""Frame codebooks as data: loading and validating the YAML codebook into compiled frames.

A codebook is a YAML file (the study's is ``analysis/codebooks/study.yaml``; its header
documents the pattern language, compiled by :mod:`analysis.framing.patterns`).
:func:`load_codebook` validates it and raises :class:`~analysis.core.errors.InputError` naming
the file, the frame and the field of the first problem, so a user's own codebook fails with one
clear line.

Examples
--------
>>> codebook = load_codebook()
>>> [frame.id for frame in codebook.frames][:2]
['downturn', 'convergence']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from analysis.core.config import CODEBOOK_DIR, read_yaml
from analysis.core.errors import InputError
from analysis.framing.patterns import (
    PUNCTUATION,
    Pattern,
    PatternMatch,
    PatternWord,
    Token,
    compile_pattern,
)

STUDY_CODEBOOK = CODEBOOK_DIR / "study.yaml"
#: The two frames the framing index contrasts; a codebook used for the index must have both.
INDEX_FRAMES = ("convergence", "downturn")
#: Where a counted hit can make a frame present in an article (a frame's ``present_from``):
#: the headline, the lead (the first ``lead_sentences`` sentences), the outlet's own narration
#: in the body, and attributed text in the body (direct quotation or reported speech).
PLACES = ("headline", "lead", "narration", "attributed")

#: The keys each part of a codebook may have: any other key (a misspelt ``excpet``, say) is
#: refused, since ignoring it would silently drop the rule it was meant to be.
KEYS = {
    "top level": (
        "codebook",
        "version",
        "date",
        "unit",
        "description",
        "changelog",
        "cues",
        "lead_sentences",
        "frames",
    ),
    "changelog": ("version", "date", "change", "reason"),
    "cues": ("negation", "hedging", "negation_window", "clause_breaks"),
    "frame": (
        "id",
        "label",
        "definition",
        "indicators",
        "exclude_before",
        "exclude_after",
        "include",
        "exclude",
        "examples",
        "counter_examples",
        "present_from",
        "attributed_min_sentences",
    ),
    "indicator": ("id", "pattern", "near", "window", "except"),
    "exclusion": ("window", "patterns"),
}

_FRAME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: Signs of a regular expression, which the pattern language does not have: a pattern with one
#: ("(a+)+$", "tariff.*", "\\bties") is refused rather than matched as odd words.
_REGEX_SIGN = re.compile(r"[\\^$|?+{}\[\]()]|\.\*|\*(?=\S)")


@dataclass(frozen=True)
class Indicator:
    """One indicator of a frame: a pattern, or a proximity rule over two lists of patterns."""

    id: str
    patterns: tuple[Pattern, ...]
    near: tuple[tuple[Pattern, ...], tuple[Pattern, ...]] | None = None
    window: int = 0
    #: One-word patterns that a matched word must not match ("invest*" except "investigat*").
    exceptions: tuple[PatternWord, ...] = ()

    def allows(self, match: PatternMatch, words: list[Token]) -> bool:
        """Whether no matched word of ``match`` (a match of one of the indicator's patterns)
        is one of the indicator's exceptions."""
        return not any(
            exception.matches(words[position])
            for exception in self.exceptions
            for position in range(match.first, match.last + 1)
        )

    @property
    def source(self) -> str:
        """The rule as written in the codebook."""
        if self.near is None:
            return self.patterns[0].source
        left, right = ([p.source for p in side] for side in self.near)
        return f"near({'|'.join(left)}; {'|'.join(right)}; {self.window})"


@dataclass(frozen=True)
class Frame:
    """A frame of the codebook."""

    id: str
    label: str
    definition: str
    indicators: tuple[Indicator, ...]
    exclude_before: tuple[Pattern, ...] = ()
    exclude_window: int = 0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    present_from: tuple[str, ...] = PLACES
    attributed_min_sentences: int = 1
    exclude_after: tuple[Pattern, ...] = ()
    exclude_after_window: int = 0


@dataclass(frozen=True)
class Codebook:
    """A validated, compiled codebook."""

    name: str
    version: str
    path: Path
    frames: tuple[Frame, ...]
    negation: tuple[Pattern, ...]
    hedging: tuple[Pattern, ...]
    cue_window: int
    clause_breaks: frozenset[str]
    lead_sentences: int
    changelog: tuple[dict, ...]
    raw: dict

    @property
    def frame_ids(self) -> list[str]:
        return [frame.id for frame in self.frames]

    def frame(self, frame_id: str) -> Frame:
        return next(frame for frame in self.frames if frame.id == frame_id)

    def missing_index_frames(self) -> list[str]:
        """The frames of :data:`INDEX_FRAMES` this codebook lacks: the framing index is
        measured only when the list is empty."""
        return [frame for frame in INDEX_FRAMES if frame not in self.frame_ids]

    def stems(self) -> frozenset[str]:
        """Every Porter stem that a word of the codebook's patterns matches: its indicators
        (both sides of a proximity rule), their exceptions, and every cue."""
        return frozenset(word.value for word in _pattern_words(self) if word.kind == "stem")


def _pattern_words(value: Any) -> Iterator[PatternWord]:
    """Every :class:`PatternWord` in ``value``: a pattern word, a tuple, or a dataclass whose
    fields hold them (a codebook, frame, indicator or pattern), found field by field so that
    no place a pattern can stand is missed."""
    if isinstance(value, PatternWord):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _pattern_words(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from _pattern_words(getattr(value, field.name))


class _Checker:
    """Collects the location of a codebook problem for one clear error line."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str) -> InputError:
        return InputError(f"{self.path}: {where}: {message}")

    def known_keys(self, mapping: dict, part: str, where: str) -> None:
        """Refuse a key that ``part`` of a codebook (a :data:`KEYS` entry) does not have."""
        allowed = KEYS[part]
        for key in mapping:
            if key not in allowed:
                close = get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.fail(
                    where,
                    f"unknown field {str(key)!r}{hint}; the fields here are {', '.join(allowed)}",
                )

    def text(self, mapping: dict, key: str, where: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"field '{key}' must be a non-empty string")
        return value.strip()

    def texts(self, mapping: dict, key: str, where: str) -> tuple[str, ...]:
        value = mapping.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"field '{key}' must be a list of strings")
        return tuple(value)

    def patterns(self, value: Any, where: str) -> tuple[Pattern, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.fail(where, "must be a pattern or a non-empty list of patterns")
        compiled = []
        for item in value:
            sign = _REGEX_SIGN.search(item) if isinstance(item, str) else None
            if sign and item.strip() not in PUNCTUATION:
                raise self.fail(
                    where,
                    f"pattern {item!r} looks like a regular expression ({sign.group()!r}): "
                    'patterns are words, prefix*, "exact" words and ~N gaps (see the header '
                    "of analysis/codebooks/study.yaml)",
                )
            try:
                compiled.append(compile_pattern(str(item) if isinstance(item, int) else item))
            except ValueError as exc:
                raise self.fail(where, str(exc)) from None
        return tuple(compiled)

    def window(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 50:
            raise self.fail(where, "must be a whole number of words between 0 and 50")
        return value


def _indicator(check: _Checker, raw: Any, where: str) -> Indicator:
    if not isinstance(raw, dict):
        raise check.fail(where, "must be a mapping with 'id' and 'pattern' or 'near'")
    indicator_id = check.text(raw, "id", where)
    where = f"{where} ({indicator_id})"
    check.known_keys(raw, "indicator", where)
    if ("pattern" in raw) == ("near" in raw):
        raise check.fail(where, "needs exactly one of 'pattern' or 'near'")
    exceptions = _exceptions(check, raw, where)
    if "pattern" in raw:
        patterns = check.patterns(raw["pattern"], f"{where}.pattern")
        return Indicator(indicator_id, patterns, exceptions=exceptions)
    near = raw["near"]
    if not isinstance(near, list) or len(near) != 2:
        raise check.fail(f"{where}.near", "must be a list of two lists of patterns")
    left = check.patterns(near[0], f"{where}.near[0]")
    right = check.patterns(near[1], f"{where}.near[1]")
    window = check.window(raw.get("window"), f"{where}.window")
    return Indicator(indicator_id, (), (left, right), window, exceptions)


def _exceptions(check: _Checker, raw: dict, where: str) -> tuple[PatternWord, ...]:
    """An indicator's ``except`` list: single words (stem, ``prefix*`` or ``"exact"``)."""
    if "except" not in raw:
        return ()
    patterns = check.patterns(raw["except"], f"{where}.except")
    if any(len(pattern.words) != 1 for pattern in patterns):
        raise check.fail(f"{where}.except", "must be a list of single words")
    return tuple(pattern.words[0] for pattern in patterns)


def _frame(check: _Checker, raw: Any, index: int) -> Frame:
    where = f"frames[{index}]"
    if not isinstance(raw, dict):
        raise check.fail(where, "must be a mapping")
    frame_id = check.text(raw, "id", where)
    if not _FRAME_ID.match(frame_id):
        raise check.fail(where, f"id {frame_id!r} must be lower case letters, digits, '_'")
    where = f"frame '{frame_id}'"
    check.known_keys(raw, "frame", where)
    label = check.text(raw, "label", where)
    definition = check.text(raw, "definition", where)
    indicators_raw = raw.get("indicators")
    if not isinstance(indicators_raw, list) or not indicators_raw:
        raise check.fail(where, "field 'indicators' must be a non-empty list")
    indicators = tuple(
        _indicator(check, item, f"{where}: indicators[{i}]")
        for i, item in enumerate(indicators_raw)
    )
    ids = [indicator.id for indicator in indicators]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise check.fail(where, f"indicator id {duplicate!r} is used twice")
    exclude_before, exclude_window = _exclusion(check, raw, "exclude_before", where)
    exclude_after, exclude_after_window = _exclusion(check, raw, "exclude_after", where)
    return Frame(
        frame_id,
        label,
        definition,
        indicators,
        exclude_before,
        exclude_window,
        check.texts(raw, "include", where),
        check.texts(raw, "exclude", where),
        check.texts(raw, "examples", where),
        check.texts(raw, "counter_examples", where),
        _places(check, raw, where),
        _min_sentences(check, raw, where),
        exclude_after,
        exclude_after_window,
    )


def _exclusion(
    check: _Checker, raw: dict, key: str, where: str
) -> tuple[tuple[Pattern, ...], int]:
    """A frame's ``exclude_before`` or ``exclude_after`` block: its patterns and window (none
    and 0 when the frame has no such block)."""
    if key not in raw:
        return (), 0
    block = raw[key]
    if not isinstance(block, dict):
        raise check.fail(f"{where}: {key}", "must have 'window' and 'patterns'")
    check.known_keys(block, "exclusion", f"{where}: {key}")
    patterns = check.patterns(block.get("patterns"), f"{where}: {key}.patterns")
    return patterns, check.window(block.get("window"), f"{where}: {key}.window")


def _lead_sentences(check: _Checker, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 20:
        raise check.fail("lead_sentences", "must be a whole number of sentences from 0 to 20")
    return value


def _min_sentences(check: _Checker, raw: dict, where: str) -> int:
    value = raw.get("attributed_min_sentences", 1)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 20:
        raise check.fail(
            f"{where}: attributed_min_sentences", "must be a whole number from 1 to 20"
        )
    return value


def _places(check: _Checker, raw: dict, where: str) -> tuple[str, ...]:
    if "present_from" not in raw:
        return PLACES
    value = raw["present_from"]
    if not isinstance(value, list) or not value or not set(value) <= set(PLACES):
        raise check.fail(f"{where}: present_from", f"must be a list of {', '.join(PLACES)}")
    return tuple(value)


def parse_codebook(raw: Any, path: Path) -> Codebook:
    """Validate and compile a codebook already read from ``path``."""
    check = _Checker(path)
    if not isinstance(raw, dict):
        raise check.fail("top level", "must be a mapping with 'codebook', 'version' and 'frames'")
    check.known_keys(raw, "top level", "top level")
    name = check.text(raw, "codebook", "top level")
    if isinstance(raw.get("version"), int | float) and not isinstance(raw["version"], bool):
        raw = {**raw, "version": str(raw["version"])}
    version = check.text(raw, "version", "top level")
    changelog = raw.get("changelog")
    if not isinstance(changelog, list) or not changelog:
        raise check.fail("changelog", "must list every version with its change and reason")
    for i, entry in enumerate(changelog):
        where = f"changelog[{i}]"
        if not isinstance(entry, dict):
            raise check.fail(where, "must be a mapping")
        check.known_keys(entry, "changelog", where)
        for key in ("version", "change", "reason"):
            check.text(entry, key, where)
    if str(changelog[0]["version"]) != version and str(changelog[-1]["version"]) != version:
        raise check.fail("changelog", f"has no entry for the codebook's version {version}")
    cues = raw.get("cues", {})
    if not isinstance(cues, dict):
        raise check.fail("cues", "must be a mapping")
    check.known_keys(cues, "cues", "cues")
    negation = check.patterns(cues.get("negation", ["not"]), "cues.negation")
    hedging = check.patterns(cues.get("hedging", ["may"]), "cues.hedging")
    cue_window = check.window(cues.get("negation_window", 4), "cues.negation_window")
    breaks = cues.get("clause_breaks", [",", ";", ":"])
    if not isinstance(breaks, list) or not all(isinstance(b, str) for b in breaks):
        raise check.fail("cues.clause_breaks", "must be a list of strings")
    frames_raw = raw.get("frames")
    if not isinstance(frames_raw, list) or not frames_raw:
        raise check.fail("frames", "must be a non-empty list of frames")
    frames = tuple(_frame(check, item, i) for i, item in enumerate(frames_raw))
    ids = [frame.id for frame in frames]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise check.fail(f"frame '{duplicate}'", "frame id is used twice")
    return Codebook(
        name,
        version,
        path,
        frames,
        negation,
        hedging,
        cue_window,
        frozenset(b.lower() for b in breaks),
        _lead_sentences(check, raw.get("lead_sentences", 2)),
        tuple(changelog),
        raw,
    )


def load_codebook(path: Path | str | None = None) -> Codebook:
    """Read and validate a codebook (the study's when ``path`` is ``None``).

    Raises :class:`InputError` naming the file, frame and field of the first problem.
    """
    path = Path(path) if path is not None else STUDY_CODEBOOK
    try:
        raw = read_yaml(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such codebook file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_codebook(raw, path)
