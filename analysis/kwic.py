"""Keyword in context: every sentence where a term occurs, with the words around it.

A term is one or more words. Matching is case-insensitive and by whole words: the text is cut
into words (letters and digits, with inner apostrophes and full stops, so "U.S." and "Gor's"
are one word each; hyphens and dashes separate words, so "India-US" contains "US"), and the
term's words must occur in a row, with only spaces or punctuation between them. With
``inflections``, words match when their Porter stems are equal ("tie" finds "ties" and
"tied"; the stemmer sometimes joins words that are only related, such as "minerals" and
"miners"). Matches never span two sentences.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from nltk.stem import PorterStemmer

from analysis.core.errors import InputError
from analysis.text.tokens import SEARCH_WORD

KWIC_COLUMNS = ["outlet", "doc_id", "sent_idx", "left", "match", "right"]



@lru_cache(maxsize=1)
def _stemmer() -> PorterStemmer:
    return PorterStemmer()


def _key(word: str, inflections: bool) -> str:
    word = word.lower().replace("’", "'")
    return _stemmer().stem(word) if inflections else word


def kwic(
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    term: str,
    window: int = 5,
    inflections: bool = False,
) -> pd.DataFrame:
    """Every occurrence of ``term`` in the sentence table, with ``window`` words each side.

    Parameters
    ----------
    sentences
        The sentence table (``doc_id, sent_idx, text``).
    articles
        The article table (``doc_id, outlet``).
    term
        One or more words ("tariffs", "U.S.", "critical minerals").
    window
        Words of context on each side (fewer at the start or end of a sentence).
    inflections
        Match other forms of the words (equal Porter stems).

    Returns
    -------
    DataFrame
        Columns :data:`KWIC_COLUMNS`: outlet, doc_id, sent_idx, left (the context before, as
        written), match (the matched words as written), right; in sentence-table order.

    Raises
    ------
    InputError
        If ``term`` has no word or ``window`` is negative.

    Examples
    --------
    >>> sents = pd.DataFrame({"doc_id": ["a"], "sent_idx": [0],
    ...                       "text": ["Jaishankar met the U.S. envoy on critical minerals."]})
    >>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["Mint"]})
    >>> kwic(sents, arts, "u.s.", window=2)[["left", "match", "right"]].values.tolist()
    [['met the', 'U.S.', 'envoy on']]
    """
    words = SEARCH_WORD.findall(term)
    if not words:
        raise InputError(f"KWIC term {term!r} has no words; give a word or phrase to look for")
    if window < 0:
        raise InputError(f"KWIC window must be 0 or more words, not {window}")
    wanted = [_key(word, inflections) for word in words]
    keep_final_stop = term.rstrip().endswith(".")
    outlets = dict(zip(articles["doc_id"], articles["outlet"], strict=True))
    rows = []
    for doc_id, sent_idx, text in zip(
        sentences["doc_id"], sentences["sent_idx"], sentences["text"], strict=True
    ):
        tokens = list(SEARCH_WORD.finditer(text))
        keys = [_key(token.group(), inflections) for token in tokens]
        for first in range(len(tokens) - len(wanted) + 1):
            if keys[first : first + len(wanted)] != wanted:
                continue
            last = first + len(wanted) - 1
            start, end = tokens[first].start(), tokens[last].end()
            if keep_final_stop and text[end : end + 1] == ".":
                end += 1
            left_start = tokens[first - window].start() if first - window > 0 else 0
            right_end = (
                tokens[last + window].end() if last + window < len(tokens) - 1 else len(text)
            )
            rows.append(
                {
                    "outlet": outlets.get(doc_id, ""),
                    "doc_id": doc_id,
                    "sent_idx": int(sent_idx),
                    "left": text[left_start:start].strip() if window else "",
                    "match": text[start:end],
                    "right": text[end:right_end].strip() if window else "",
                }
            )
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def format_kwic(table: pd.DataFrame) -> str:
    """Concordance lines of a :func:`kwic` table, aligned on the match.

    Each line: outlet, ``doc_id:sent_idx``, the left context right-aligned, the match, the right
    context. An empty table gives an empty string.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["Mint", "Zee News"], "doc_id": ["a", "b"],
    ...                       "sent_idx": [0, 12], "left": ["met the", "the"],
    ...                       "match": ["U.S.", "US"], "right": ["envoy", "visit"]})
    >>> print(format_kwic(table))
    Mint      a:0   met the  U.S.  envoy
    Zee News  b:12      the  US    visit
    """
    if table.empty:
        return ""
    sources = [f"{doc}:{idx}" for doc, idx in zip(table["doc_id"], table["sent_idx"], strict=True)]
    outlet_width = max(len(str(outlet)) for outlet in table["outlet"])
    source_width = max(len(source) for source in sources)
    left_width = max(len(left) for left in table["left"])
    match_width = max(len(match) for match in table["match"])
    lines = [
        f"{outlet:<{outlet_width}}  {source:<{source_width}}  {left:>{left_width}}  "
        f"{match:<{match_width}}  {right}".rstrip()
        for outlet, source, left, match, right in zip(
            table["outlet"], sources, table["left"], table["match"], table["right"], strict=True
        )
    ]
    return "\n".join(lines)
