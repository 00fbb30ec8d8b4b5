"""Cleaning scrape artefacts: small named rules that only ever remove characters.

Each rule looks at the text as the rules before it left it and returns the spans to remove.
Nothing is rewritten, so every character of the cleaned text is a character of the raw text,
and the cleaning report accounts for every removed one: per article,
``chars_in == chars_kept + chars_removed``.

The rules, in the order they run (:data:`RULES`):

``scraper_date_prefix``
    a scraper's `` date YYYY-MM-DD `` fused to the start of the text.
``repeated_headline``
    leading lines equal to the article's title, or a leading line repeated right after itself.
``byline_dateline``
    short leading lines with no sentence punctuation ("Our Bureau", "New Delhi", "By A Name").
``comment_footer``
    a trailing comment form ("Leave a Reply", "Your email address will not be published" ...).
``page_furniture``
    whole lines of web-page furniture anywhere in the text: "Advertisement", newsletter and app
    prompts, "Copyright © ..." and reprint lines, slideshow counters.
``wire_credit_trailer``
    a closing credit such as "(With ANI inputs)"; the agency stays in the metadata's ``wire``.
``fused_subheading``
    a sub-heading fused to the paragraph it heads ("Bessent convenes Finance Ministerial Earlier
    this month, ..."): a short capitalised run without punctuation, followed by a capitalised
    sentence opener.
``outer_whitespace``
    whitespace before the first and after the last visible character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

#: Columns of the cleaning report: one row per removed span, and one row per place where the
#: sentence splitter split an over-long sentence (rule :data:`SENTENCE_SPLIT_RULE`, nothing
#: removed: ``n_chars`` 0, ``start`` = ``end`` = the raw offset where the next piece starts).
REPORT_COLUMNS = ["doc_id", "rule", "start", "end", "n_chars", "removed"]
SENTENCE_SPLIT_RULE = "long_sentence_split"

Span = tuple[int, int]


def _normalise_line(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()


_DATE_PREFIX = re.compile(r"\A\s*date \d{4}-\d{2}-\d{2}[ \t]+")


def scraper_date_prefix(text: str, title: str) -> list[Span]:
    """Remove a scraper's fused `` date YYYY-MM-DD `` prefix.

    >>> scraper_date_prefix(" date 2026-02-02 External Affairs Minister", "")
    [(0, 17)]
    """
    match = _DATE_PREFIX.match(text)
    return [match.span()] if match else []


#: Only this many non-blank lines at the top of an article count as its header zone.
HEADER_MAX_LINES = 6


def _leading_lines(text: str) -> list[tuple[int, int, str]]:
    """The header zone: lines before the first 25-word line, at most HEADER_MAX_LINES non-blank.

    Each line comes with its span, newline included.
    """
    lines = []
    non_blank = 0
    for match in re.finditer(r"[^\n]*\n|[^\n]+\Z", text):
        line = match.group().rstrip("\n")
        if len(line.split()) >= 25:
            break
        non_blank += bool(line.strip())
        if non_blank > HEADER_MAX_LINES:
            break
        lines.append((match.start(), match.end(), line))
    return lines


def repeated_headline(text: str, title: str) -> list[Span]:
    """Remove header lines that repeat the title, or repeat the line before them.

    >>> text = "Visit begins\\n\\nVisit begins\\n\\nThe minister left on Monday."
    >>> repeated_headline(text, "")
    [(0, 28)]
    """
    spans: list[Span] = []
    title_key = _normalise_line(title)
    previous: tuple[str, Span] | None = None
    for start, end, line in _leading_lines(text):
        key = _normalise_line(line)
        if not key:  # a blank line belongs to the line above it
            if previous is not None:
                previous = (previous[0], (previous[1][0], end))
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            continue
        if title_key and key == title_key:
            spans.append((start, end))
        elif previous is not None and key == previous[0]:
            spans.extend([previous[1], (start, end)])
        previous = (key, (start, end))
    return _merge(spans)


_BYLINE_LINE = re.compile(r"^(?:By\s+)?[A-Z][\w'’.-]*(?:[ \t]+[\w'’.&-]+){0,4}[ \t]*$")
#: Sentence punctuation: a period after a word (not after an initial), and the like.
_SENTENCE_PUNCTUATION = re.compile(r"[!?,:;\"“”()]|\w{2,}\.")


def byline_dateline(text: str, title: str) -> list[Span]:
    """Remove short leading byline and dateline lines ("Our Bureau", "New Delhi").

    Only lines of at most five words, without sentence punctuation, that stand before the
    first full paragraph, are removed.

    >>> byline_dateline("Our Bureau\\nNew Delhi\\nThe minister left on Monday for talks.", "")
    [(0, 21)]
    """
    lines = _leading_lines(text)
    spans: list[Span] = []
    for start, end, line in lines:
        if not line.strip():
            if spans:
                spans[-1] = (spans[-1][0], end)
            continue
        if not _BYLINE_LINE.match(line.strip()) or _SENTENCE_PUNCTUATION.search(line):
            break
        spans.append((start, end))
    if spans and spans[-1][1] >= len(text.rstrip()):
        return []  # nothing but short lines: that is not a byline
    return _merge(spans)


_FOOTER = re.compile(
    r"^[ \t]*(?:Leave a (?:Reply|Comment)|Post a Comment|Your email address will not be published"
    r"|Required fields are marked|Comments? \(\d+\)|Add a comment)",
    re.MULTILINE | re.IGNORECASE,
)
#: A comment form is a footer only if it starts within this many characters of the end.
FOOTER_MAX_CHARS = 600


def comment_footer(text: str, title: str) -> list[Span]:
    """Remove a trailing comment form ("Leave a Reply ...") and everything after it.

    >>> comment_footer("Body.\\n\\nLeave a Reply\\n\\nYour email address will not be shown.", "")
    [(5, 59)]
    """
    match = _FOOTER.search(text)
    if not match or len(text) - match.start() > FOOTER_MAX_CHARS:
        return []
    start = len(text[: match.start()].rstrip())
    return [(start, len(text))]


#: Lines that are web-page furniture, not the article: ad slots, newsletter and app prompts,
#: copyright and reprint lines, slideshow counters. Each matches a whole line only, so no
#: sentence is ever cut. Found by counting the short lines of the AllSides corpus (Baly et al.
#: 2020; "Advertisement" alone stands on 10,013 lines of its 37,554 articles), not the seeds.
_FURNITURE_LINES = (
    r"advertisement:?",
    r"ad",
    r"(?:advertisement[ \t]+)?continue reading the main story",
    r"story continued below",
    r"sign up for [\w' ]{0,40}newsletters?(?:[ \t]+manage newsletters)?",
    r"manage newsletters",
    r"copyright[ \t]+©[^\n]{0,120}",
    r"click here for reprint permission\.?",
    r"click here to get the [\w ]{1,30} app",
    r"share this article share tweet post email",
    r"slideshow \(\d+ images?\)",
    r"this article is more than \d+ (?:years?|months?) old",
    r"loading\.\.\.",
)
_FURNITURE = re.compile(
    rf"^[ \t]*(?:{'|'.join(_FURNITURE_LINES)})[ \t]*(?:\n|\Z)",
    re.MULTILINE | re.IGNORECASE,
)


def page_furniture(text: str, title: str) -> list[Span]:
    """Remove whole lines of web-page furniture ("Advertisement", "Sign up for Daily
    Newsletters", "Copyright © 2019 ... Click here for reprint permission."), anywhere in the
    text, with the blank lines that follow them.

    >>> page_furniture("They met.\\n\\nAdvertisement\\n\\nThey spoke.", "")
    [(11, 26)]
    """
    spans: list[Span] = []
    for match in _FURNITURE.finditer(text):
        end = match.end()
        while end < len(text) and text[end] in " \t\n":
            end += 1
        spans.append((match.start(), end))
    return _merge(spans)


#: The closing parenthesis of a wire credit, matched from its "(" to its ")" only (a search
#: with leading and trailing ``\s*`` backtracked over every whitespace run: quadratic).
_WIRE_TRAILER = re.compile(
    r"\(\s*(?:with\s+)?(?:inputs\s+from\s+)?[A-Z][\w&/,. -]{0,40}?(?:\s+inputs)?\s*\)",
    re.IGNORECASE,
)
_WIRE_WORD = re.compile(r"input|\b(?:ANI|PTI|IANS|Reuters|AP|AFP|UNI)\b", re.IGNORECASE)


def wire_credit_trailer(text: str, title: str) -> list[Span]:
    """Remove a closing wire credit such as "(With ANI inputs)" or "(With inputs from PTI)".

    >>> wire_credit_trailer("The call was positive.\\n\\n(With ANI inputs)", "")
    [(22, 41)]
    """
    body_end = len(text.rstrip())
    if not text.endswith(")", 0, body_end):
        return []
    opening = text.rfind("(", 0, body_end)  # the credit holds no other parenthesis
    match = _WIRE_TRAILER.fullmatch(text, opening, body_end) if opening >= 0 else None
    if not match or not _WIRE_WORD.search(match.group()):
        return []
    return [(len(text[:opening].rstrip()), len(text))]


_SENTENCE_OPENERS = (
    "Earlier|Meanwhile|However|Additionally|Separately|Previously|Later|Last|According|"
    "Moreover|Furthermore|Notably|Apart|Since|After|Before|During|On|In|The|This|These"
)
_FUSED_SUBHEADING = re.compile(
    r"^(?P<heading>[A-Z][\w'’-]*(?:[ \t]+[\w'’-]+){1,7})[ \t]+"
    rf"(?=(?:{_SENTENCE_OPENERS})\b[^\n]{{40,}})",
    re.MULTILINE,
)


def fused_subheading(text: str, title: str) -> list[Span]:
    """Remove a sub-heading fused to the start of the paragraph it heads.

    A paragraph (not the first) that starts with two to eight words without punctuation,
    followed by a capitalised sentence opener ("Earlier", "Meanwhile", "The" ...): the run
    before the opener is a heading the scrape glued on. The run must end in a capitalised
    word, as headings do ("... Finance Ministerial"), and at least 40 characters of the
    paragraph must follow the opener, so short lines are not touched.

    >>> text = "Lead.\\n\\nTalks Resume Earlier this month, the two sides met again in Delhi."
    >>> fused_subheading(text, "")
    [(7, 20)]
    """
    spans: list[Span] = []
    first_paragraph_end = text.find("\n")
    for match in _FUSED_SUBHEADING.finditer(text):
        if first_paragraph_end < 0 or match.start() <= first_paragraph_end:
            continue
        words = match.group("heading").split()
        if not words[-1][0].isupper():
            continue
        spans.append((match.start(), match.end()))
    return spans


def outer_whitespace(text: str, title: str) -> list[Span]:
    """Remove whitespace before the first and after the last visible character.

    >>> outer_whitespace("  Body.\\n\\n\\n", "")
    [(0, 2), (7, 10)]
    """
    spans: list[Span] = []
    leading = len(text) - len(text.lstrip())
    if leading:
        spans.append((0, leading))
    trailing_start = len(text.rstrip())
    if text and trailing_start < len(text) and trailing_start >= leading:
        spans.append((trailing_start, len(text)))
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _to_raw(segments: list[Span], position: int) -> int:
    """Raw offset of the character at ``position`` in the text the segments make up."""
    for start, end in segments:
        if position < end - start:
            return start + position
        position -= end - start
    raise IndexError(position)


def _remove_from_segments(segments: list[Span], spans: list[Span]) -> list[Span]:
    """Kept raw segments after removing ``spans`` (offsets in the current text)."""
    kept: list[Span] = []
    offset = 0  # current-text offset where the segment starts
    for raw_start, raw_end in segments:
        length = raw_end - raw_start
        cursor = 0
        for start, end in spans:
            lo, hi = max(start - offset, 0), min(end - offset, length)
            if lo >= hi:
                continue
            if lo > cursor:
                kept.append((raw_start + cursor, raw_start + lo))
            cursor = max(cursor, hi)
        if cursor < length:
            kept.append((raw_start + cursor, raw_end))
        offset += length
    return kept


Rule = Callable[[str, str], list[Span]]

#: The cleaning rules in the order they run.
RULES: dict[str, Rule] = {
    "scraper_date_prefix": scraper_date_prefix,
    "repeated_headline": repeated_headline,
    "byline_dateline": byline_dateline,
    "comment_footer": comment_footer,
    "page_furniture": page_furniture,
    "wire_credit_trailer": wire_credit_trailer,
    "fused_subheading": fused_subheading,
    "outer_whitespace": outer_whitespace,
}


@dataclass(frozen=True)
class CleanedText:
    """The cleaned text of one article and the removals that made it."""

    text: str
    removals: list[dict]


def clean_text(text: str, *, title: str = "", doc_id: str = "") -> CleanedText:
    """Apply every rule in :data:`RULES` to one article.

    Returns the cleaned text and one removal record per removed span, with offsets in the
    raw text.

    Examples
    --------
    >>> cleaned = clean_text(" date 2026-02-02 The minister left.\\n\\n(With ANI inputs)")
    >>> cleaned.text
    'The minister left.'
    >>> [r["rule"] for r in cleaned.removals]
    ['scraper_date_prefix', 'wire_credit_trailer']
    """
    # The current text is the concatenation of these kept raw segments (start, end).
    segments: list[Span] = [(0, len(text))]
    current = text
    removals: list[dict] = []
    for rule_name, rule in RULES.items():
        spans = _merge(rule(current, title))
        if not spans:
            continue
        for start, end in spans:
            raw_start, raw_end = _to_raw(segments, start), _to_raw(segments, end - 1) + 1
            removals.append(
                {
                    "doc_id": doc_id,
                    "rule": rule_name,
                    "start": raw_start,
                    "end": raw_end,
                    "n_chars": end - start,
                    "removed": current[start:end],
                }
            )
        segments = _remove_from_segments(segments, spans)
        current = "".join(text[start:end] for start, end in segments)
    return CleanedText(current, removals)


def clean_corpus(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every article.

    Parameters
    ----------
    articles
        The corpus table (see :func:`analysis.io.corpus.load_corpus`).

    Returns
    -------
    cleaned_articles
        ``articles`` with a ``clean_text`` column added.
    report
        One row per removed span, columns :data:`REPORT_COLUMNS`.
    """
    cleaned_texts, removals = [], []
    for doc_id, title, text in zip(
        articles["doc_id"], articles["title"], articles["text"], strict=True
    ):
        cleaned = clean_text(text, title=title, doc_id=doc_id)
        cleaned_texts.append(cleaned.text)
        removals.extend(cleaned.removals)
    return articles.assign(clean_text=cleaned_texts), pd.DataFrame(removals, columns=REPORT_COLUMNS)


def raw_offsets(report: pd.DataFrame, doc_id: str, positions: list[int]) -> list[int]:
    """Offsets in the raw text of positions in an article's cleaned text.

    The raw spans of an article's removals cover exactly its removed characters (a span that
    straddles an earlier removal covers characters removed already), so a cleaned position is
    moved past every removed stretch at or before it.

    >>> cleaned = clean_text(" date 2026-02-02 The minister left.", doc_id="a")
    >>> report = pd.DataFrame(cleaned.removals, columns=REPORT_COLUMNS)
    >>> raw_offsets(report, "a", [4])
    [21]
    """
    rows = report[(report["doc_id"] == doc_id) & (report["rule"] != SENTENCE_SPLIT_RULE)]
    removed = _merge(list(zip(rows["start"], rows["end"], strict=True)))
    offsets = []
    for position in positions:
        raw = position
        for start, end in removed:
            if start > raw:
                break
            raw += end - start
        offsets.append(raw)
    return offsets


def sentence_split_records(report: pd.DataFrame, splits: list[tuple[str, int]]) -> pd.DataFrame:
    """Cleaning-report rows (rule :data:`SENTENCE_SPLIT_RULE`) for the places where over-long
    sentences were split; ``splits`` holds ``(doc_id, offset in the cleaned text)``, as
    :func:`analysis.text.sentences.split_sentences` gives them."""
    by_doc: dict[str, list[int]] = {}
    for doc_id, position in splits:
        by_doc.setdefault(doc_id, []).append(position)
    rows = [
        {"doc_id": doc_id, "rule": SENTENCE_SPLIT_RULE, "start": raw, "end": raw}
        | {"n_chars": 0, "removed": ""}
        for doc_id, positions in by_doc.items()
        for raw in raw_offsets(report, doc_id, positions)
    ]
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def cleaning_summary(articles: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """Per article: characters in, kept and removed, and the characters removed by each rule.

    ``chars_in == chars_kept + chars_removed`` holds for every row.
    """
    by_rule = (
        report.pivot_table(index="doc_id", columns="rule", values="n_chars", aggfunc="sum")
        .reindex(columns=list(RULES))
        .reindex(articles["doc_id"])
        .fillna(0)
        .astype(int)
        .add_prefix("removed_by_")
    )
    summary = pd.DataFrame(
        {
            "doc_id": articles["doc_id"].to_numpy(),
            "chars_in": articles["text"].str.len().to_numpy(),
            "chars_kept": articles["clean_text"].str.len().to_numpy(),
        }
    )
    summary["chars_removed"] = summary["chars_in"] - summary["chars_kept"]
    return summary.join(by_rule.reset_index(drop=True))
