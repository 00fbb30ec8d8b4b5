"""The study at full size (114 openings): framing by day, by outlet country and kind, by
article kind, shared copy, tone over time, topics and distinctive terms.

These outputs are built from :func:`analysis.study.extended.load_extended_study`, not from the study
corpus alone, so they have a registry of their own (:data:`FIGURES`, built by
:func:`analysis.outputs.figures.build_extended`, ``framing extended``) and a folder of their own
(``figures/extended/``). Their tables are made by :mod:`analysis.study.extended_tables` and drawn
by :mod:`analysis.outputs.figures.extended_plots`.
"""

from __future__ import annotations

from analysis.outputs.figures.extended_plots import (
    plot_clusters,
    plot_distinctive_terms,
    plot_frames_by_day,
    plot_framing_by_day,
    plot_framing_by_group,
    plot_tone_by_day,
    plot_topic_prevalence,
    plot_topic_quality,
)
from analysis.outputs.figures.frame_methods import plot_method_comparison
from analysis.outputs.figures.spec import FigureSpec
from analysis.outputs.figures.topics import plot_topic_terms
from analysis.study.extended import UNIT_NOTE
from analysis.study.extended_tables import (
    articles_table,
    clusters_table,
    distinctive_terms_table,
    frame_evidence_table,
    frame_validation_sentences_table,
    frame_validation_table,
    framing_by_day_table,
    framing_by_group_table,
    framing_by_side_table,
    seed_sensitivity_table,
    shared_copy_table,
    tone_by_day_table,
    topic_prevalence_table,
    topic_quality_table,
    topic_terms_table,
    topic_typical_units_table,
)

SECTION = "The study at full size: 114 articles"

# --- the registry -------------------------------------------------------------------------------


def _caption(text: str) -> str:
    return f"{text} {UNIT_NOTE}"


FIGURES = [
    FigureSpec(
        name="extended_frame_validation",
        title="Is the framing measure right? Methods against hand coding",
        caption=_caption(
            "Article level, against the adjudicated codes of two independent coders and a blind "
            "third (corpus/annotations/coverage/): F1 of downturn and convergence presence and "
            "Spearman's correlation of each direction score with the coded tone (-2..+2), with "
            "95% intervals resampling articles and n. In-sample: the five seeds, which the "
            "codebook's authors had read. Development: 77 coverage articles on which the codebook "
            "was tuned (its rules are in-sample there; the article model and the sentence "
            "classifier are cross-validated, 5 folds). Locked test: 32 articles set aside before "
            "any change, whole outlets and shared copy apart, scored once. The table also gives "
            "precision, recall, Krippendorff's alpha of each method against the codes beside "
            "the coders' own alpha on the same articles, and the paired difference that decides "
            "whether the weighted index becomes the default."
        ),
        table=frame_validation_table,
        plot=plot_method_comparison,
        layout=(1, 3),
        figsize=(12.0, 3.8),
    ),
    FigureSpec(
        name="extended_frame_validation_sentences",
        title="Sentence-level validation on the extended corpus",
        caption=_caption(
            "Per set and frame: precision, recall, F1 and alpha of the codebook detector (every "
            "frame) and of the sentence classifier (downturn, convergence) against the "
            "adjudicated sentence codes of 47 articles (598 sentences)."
        ),
        table=frame_validation_sentences_table,
    ),
    FigureSpec(
        name="extended_articles",
        title="The 114 articles and their measures",
        caption=_caption(
            "One row per article: corpus, outlet, date, period, article kind, outlet country "
            "and kind (corpus/outlets.csv), the frame counts and presence decided by the "
            "codebook, the framing index on all text and on the article's own sentences, its "
            "share of words in shared sentences and its cluster, and its narration and "
            "quotation tone. Ids and measures only: no text."
        ),
        table=articles_table,
    ),
    FigureSpec(
        name="extended_framing_by_day",
        title="Did the framing move around 2 and 6-7 February?",
        caption=_caption(
            "The framing index (convergence minus downturn share of sentences) of each day's "
            "articles, pooled over their sentences, with a 95% interval resampling the day's "
            "articles (none for a day of one article); dot area and the number at the foot "
            "give the articles. Dashed: 2 February (the 18% tariff cut); shaded: 6-7 February "
            "(the interim trade framework). Undated articles are counted and drawn apart, at "
            "the right."
        ),
        table=framing_by_day_table,
        plot=plot_framing_by_day,
        figsize=(8.0, 4.2),
    ),
    FigureSpec(
        name="extended_frames_by_day",
        title="Which frames were present, day by day",
        caption=_caption(
            "For each frame, the share of each day's articles in which the codebook finds the "
            "frame present (the codebook's article-level rule: a counted hit in the headline, the "
            "lead or the narration, or, for convergence, attributed text in two sentences), "
            "with a 95% interval resampling articles; 2 February dashed, 6-7 February shaded, "
            "undated articles at the right."
        ),
        table=framing_by_day_table,
        plot=plot_frames_by_day,
        layout=(2, 3),
        figsize=(10.0, 5.8),
    ),
    FigureSpec(
        name="extended_framing_by_group",
        title="Framing by outlet country, outlet kind and article kind",
        caption=_caption(
            "Per group (articles in brackets): the framing index pooled over the group's "
            "sentences, and the share of its articles with the downturn and with the "
            "convergence frame present, each with a 95% interval resampling articles. "
            "Countries with fewer than 3 articles are pooled as other countries; outlets "
            "whose country their address, name and text do not show are apart."
        ),
        table=framing_by_group_table,
        plot=plot_framing_by_group,
        layout=(1, 3),
        figsize=(11.0, 4.2),
    ),
    FigureSpec(
        name="extended_framing_by_side",
        title="Before and from 2 February, Indian and foreign outlets",
        caption=_caption(
            "Framing index and frame presence shares of the articles dated before 2 February, "
            "from 2 February and undated, of Indian, foreign and country-not-shown outlets, "
            "and of each combination, with 95% intervals resampling articles."
        ),
        table=framing_by_side_table,
    ),
    FigureSpec(
        name="extended_wire_clusters",
        title="Shared copy: each cluster's framing and its members' own words",
        caption=_caption(
            "Clusters of articles that share text (the package's reuse detector on all 114 "
            "openings; at least a quarter of one article's words shared with another, single "
            "linkage). Diamond: the cluster's framing index over all its members' sentences; "
            "grey: each member on all its text; orange: each member on its own sentences only "
            "(not shared with another article)."
        ),
        table=clusters_table,
        plot=plot_clusters,
        figsize=(7.0, 5.0),
    ),
    FigureSpec(
        name="extended_shared_copy",
        title="How much of the coverage is shared copy",
        caption=_caption(
            "Per corpus: the share of words in sentences copied from or into, or rewritten "
            "from or into, another of the 114 articles (95% interval resampling articles), "
            "the articles sharing any sentence, and the articles and clusters of the figure "
            "above. Copy shared with articles outside the 114 is not seen."
        ),
        table=shared_copy_table,
    ),
    FigureSpec(
        name="extended_tone_by_day",
        title="Tone over time: the outlets' narration and the quotations they carry",
        caption=_caption(
            "Mean VADER compound of narration segments and of quotation segments of each "
            "day's articles, with 95% intervals resampling articles; 2 February dashed, "
            "6-7 February shaded, undated articles at the right."
        ),
        table=tone_by_day_table,
        plot=plot_tone_by_day,
        figsize=(8.0, 4.2),
    ),
    FigureSpec(
        name="extended_topic_quality",
        title="Choosing the number of topics for 114 articles",
        caption=_caption(
            "Coherence (mean NPMI of the top 10 terms) and stability (mean matched cosine over "
            "five refits on 80% samples) of NMF models of the articles' paragraphs for k from "
            "3 to 15; k is chosen by the package's rule (analysis.topics.choose_k): among k "
            "with stability of at least 0.6 (dotted), the best mean of rescaled coherence and "
            "stability."
        ),
        table=topic_quality_table,
        plot=plot_topic_quality,
        figsize=(7.0, 4.0),
    ),
    FigureSpec(
        name="extended_topic_terms",
        title="Topics of the 114 articles: top terms",
        caption=_caption("The ten top terms of each topic of the chosen model, with weights."),
        table=topic_terms_table,
        plot=plot_topic_terms,
        layout=(3, 5),
        figsize=(12.0, 8.0),
        panels="topic",
    ),
    FigureSpec(
        name="extended_topic_prevalence",
        title="Topics by period of the visit and by outlet",
        caption=_caption(
            "Mean topic share of the paragraphs of articles before (to 1 February), during "
            "(2-5 February) and after the visit's week, and undated (left), and of Indian, "
            "foreign and country-not-shown outlets (right); the table has 95% intervals "
            "resampling articles."
        ),
        table=topic_prevalence_table,
        plot=plot_topic_prevalence,
        layout=(1, 2),
        figsize=(10.0, 5.5),
    ),
    FigureSpec(
        name="extended_topic_typical_units",
        title="The most typical paragraphs of each topic (ids only)",
        caption=_caption(
            "For each topic, the three paragraphs with the largest share of it, as article "
            "id, paragraph index and sentence range: read them in the corpus (the texts of "
            "the coverage articles are not in the repository)."
        ),
        table=topic_typical_units_table,
    ),
    FigureSpec(
        name="extended_distinctive_terms",
        title="Distinctive terms: Indian against foreign outlets, before against from 2 February",
        caption=_caption(
            "Terms of the articles' paragraphs most over-represented on each side (log-odds "
            "with an informative Dirichlet prior, z-scores; Monroe et al. 2008): Indian "
            "outlets against foreign ones (outlets whose country is not shown left out), and "
            "articles dated before 2 February against those dated from it (undated left out)."
        ),
        table=distinctive_terms_table,
        plot=plot_distinctive_terms,
        layout=(2, 2),
        figsize=(9.0, 7.5),
    ),
    FigureSpec(
        name="extended_frame_evidence",
        title="Frame evidence of the 114 articles: every indicator hit",
        caption=_caption(
            "Every codebook indicator hit: article, sentence index, frame, indicator, rule, "
            "character offsets, the matched words, status, cue, hedging, voice and speaker. "
            "No sentence text."
        ),
        table=frame_evidence_table,
    ),
    FigureSpec(
        name="extended_seed_sensitivity",
        title="Sensitivity: the seeds on their openings and on their full texts",
        caption=(
            f"The five seed articles measured on their openings (first {2000:,} characters, "
            "the unit of every extended figure) and on their full texts (the study corpus): "
            "sentences, framing index and each frame's presence."
        ),
        table=seed_sensitivity_table,
    ),
]
