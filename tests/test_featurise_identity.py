"""The featurisation's tables are byte for byte those of the code before it was made faster.

The hashes below are sha256 of the CSV bytes (``table_to_csv_bytes``) of each table, made by the
code at commit e50e966 (per-indicator matching, before issue 22's speed work) on the study corpus
and on a fixed-seed sample of 3,000 AllSides articles. Only hashes are kept: the AllSides texts
are under copyright. When an output changes on purpose (a new codebook rule, say), print the
new hashes with ``python tests/test_featurise_identity.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import re
import sys

import pandas as pd
import pytest

from analysis.core.config import RANDOM_SEED, SHARED_DATA_DIR
from analysis.study import measures
from analysis.study.load import Study, load_study, study_from_articles
from analysis.study.provenance import table_to_csv_bytes
from analysis.voices import segment_texts

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"
SAMPLE_ARTICLES = 3000
#: Control characters the corpus check refuses (a few AllSides texts have them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

def segments_with_text(study: Study) -> pd.DataFrame:
    """The segments with their texts, as the segment table held them before it kept offsets
    only: the texts cut from the sentences must be those it stored."""
    segments = measures.segments(study)
    return segments.assign(text=list(segment_texts(segments, study.sentences)))


#: The tables compared, each a function of a study.
TABLES = {
    "quotations": measures.quotations,
    "segments": segments_with_text,
    "evidence": measures.evidence,
    "frames_per_article": measures.frames_per_article,
    "tone_per_sentence": measures.tone_per_sentence,
    "tone_per_segment": measures.tone_per_segment,
    "score_table_no_reuse": lambda study: measures.score_table(study, reuse=False),
}

STUDY_HASHES: dict[str, str] = {
    "quotations": ("89f2a4d8650a8b0718b83dc147d939cf2620028bb47986fafcafe78c97890022"),
    "segments": ("d886e8c20168067ccb01a750a6cf080e092e1321da19d3eef26ff4583e77bf15"),
    "evidence": ("826d5bec2409c132772c0b931cb56736669b926c6608595d7bbdaa3b089fad3c"),
    "frames_per_article": ("7de27236bd30389f82b48d637bf48cc5ff1341a107e0429b45058b167d0eaf4d"),
    "tone_per_sentence": ("83b5a7de72e80b5dc1aa595986f185cf455d011178e720474a13e4e7a85ba132"),
    "tone_per_segment": ("4568d532ac32145e06e78c3f9ed20698916c73a01e8f60f3bf29140100b9508a"),
    "score_table_no_reuse": ("fa790e54fea9565c6c758b5ff935e4e6a8237b687993513f914fa4217d57fca6"),
}
ALLSIDES_HASHES: dict[str, str] = {
    "quotations": ("e12ed552c5da71cf6fa4eb1acc9dbeda510aaaff97a2a8cb20aafa2a76737e1e"),
    "segments": ("1f4d172d28b9b827d007d1d5819c724c19b0b28a90f9c94ee0f852c9dce16003"),
    "evidence": ("952cbd6387aafefabd81b08e6fa14c2f9b6f4073103e4b2be482ec3fee8106db"),
    "frames_per_article": ("69b1ac69eeedf0e8a91c05429b5cf9dcc8e6ab3eef89716af0923cd4b3bc1e55"),
    "tone_per_sentence": ("5a60a56fb0e9d01e7ef86ea471873825a9b1d077059a139192b8288f69452475"),
    "tone_per_segment": ("d7128ac03c6ca9f1e5020ae639c3f4b253739bda9cfc6873af602fd797881287"),
    "score_table_no_reuse": ("394ec5ec85904d992842b331db9a0acb5c11c4b1079b59e3be8fa9dc28bcfeec"),
}


def table_hashes(study: Study) -> dict[str, str]:
    """sha256 of each table of :data:`TABLES` as CSV bytes."""
    return {
        name: hashlib.sha256(table_to_csv_bytes(table(study))).hexdigest()
        for name, table in TABLES.items()
    }


def allsides_sample() -> Study:
    """The fixed-seed 3,000-article AllSides sample, loaded as a study."""
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    raw = raw.sample(n=SAMPLE_ARTICLES, random_state=RANDOM_SEED)
    raw = raw.rename(columns={"id": "doc_id"}).assign(wire="")
    raw = raw.assign(text=raw["text"].str.replace(CONTROL, "", regex=True))
    return study_from_articles(raw, ALLSIDES)


def test_study_tables_are_unchanged():
    assert table_hashes(load_study()) == STUDY_HASHES


@pytest.mark.slow
@pytest.mark.skipif(not ALLSIDES.is_file(), reason=f"no AllSides corpus at {ALLSIDES}")
def test_allsides_sample_tables_are_unchanged():
    assert table_hashes(allsides_sample()) == ALLSIDES_HASHES


if __name__ == "__main__":
    print("STUDY_HASHES =", table_hashes(load_study()))
    if ALLSIDES.is_file() and "--study-only" not in sys.argv:
        print("ALLSIDES_HASHES =", table_hashes(allsides_sample()))
