"""The extended study's findings, written from its tables: numbers are computed, never typed.

:func:`findings_markdown` reads the tables that ``framing extended`` writes into
``figures/extended/`` and returns the findings as Markdown. README.md carries that text between
the markers :data:`BEGIN` and :data:`END`; ``framing findings --readme`` rewrites the block, and
a test checks that it is current, so the README cannot drift from the outputs.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.core.config import FIGURES_DIR, PROJECT_ROOT
from analysis.core.errors import InputError

EXTENDED_TABLES = FIGURES_DIR / "extended"
README = PROJECT_ROOT / "README.md"
BEGIN = (
    "<!-- findings: written by `framing findings --readme` from figures/extended/; do not edit -->"
)
END = "<!-- end findings -->"
#: The tables the findings are written from.
TABLES = (
    "extended_articles",
    "extended_framing_by_side",
    "extended_framing_by_day",
    "extended_framing_by_group",
    "extended_shared_copy",
    "extended_wire_clusters",
    "extended_tone_by_day",
    "extended_topic_quality",
    "extended_seed_sensitivity",
    "extended_frame_validation",
)


def read_tables(folder: Path | str = EXTENDED_TABLES) -> dict[str, pd.DataFrame]:
    """The :data:`TABLES` in ``folder``; :class:`InputError` naming the first one missing."""
    tables = {}
    for name in TABLES:
        path = Path(folder) / f"{name}.csv"
        if not path.is_file():
            raise InputError(f"{path}: not there (run `framing extended` first)")
        tables[name] = pd.read_csv(path, keep_default_na=False, na_values=[""])
    return tables


def signed(value: float) -> str:
    """A share or index as the README writes it.

    >>> signed(0.1234), signed(-0.05), signed(0.0)
    ('+0.12', '-0.05', '0.00')
    """
    if round(value, 2) == 0:
        return "0.00"
    return f"{value:+.2f}"


def with_interval(row: pd.Series) -> str:
    """``estimate (low to high)``, or the estimate alone when there is no interval."""
    if row["low"] is None or (isinstance(row["low"], float) and math.isnan(row["low"])):
        return signed(row["estimate"])
    return f"{signed(row['estimate'])} ({signed(row['low'])} to {signed(row['high'])})"


def percent(value: float) -> str:
    """A share as a whole percentage.

    >>> percent(0.2261)
    '23%'
    """
    return f"{value * 100:.0f}%"


def overlap(a: pd.Series, b: pd.Series) -> str:
    """Whether two estimates' 95% intervals overlap, in words.

    >>> overlap(pd.Series({"low": 0.1, "high": 0.3}), pd.Series({"low": 0.2, "high": 0.5}))
    'the two intervals overlap'
    """
    if a["high"] < b["low"] or b["high"] < a["low"]:
        return "the two intervals do not overlap"
    return "the two intervals overlap"


def _row(table: pd.DataFrame, **match) -> pd.Series:
    rows = table
    for column, value in match.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        raise InputError(f"findings: expected one row for {match}, found {len(rows)}")
    return rows.iloc[0]


def findings_markdown(folder: Path | str = EXTENDED_TABLES) -> str:
    """The findings of the extended study as Markdown, every number from the tables."""
    t = read_tables(folder)
    articles = t["extended_articles"]
    n_coverage = int((articles["corpus"] == "coverage").sum())
    n_undated = int((articles["day"] == "undated").sum())
    side = t["extended_framing_by_side"]

    def index(by: str, group: str) -> pd.Series:
        return _row(side, by=by, group=group, measure="index")

    def present(by: str, group: str, frame: str) -> pd.Series:
        return _row(side, by=by, group=group, measure="present", frame=frame)

    before, after = index("side", "before 2 February"), index("side", "from 2 February")
    undated = index("side", "undated")
    day = t["extended_framing_by_day"]
    framework = [_row(day, group=d, measure="index") for d in ("2026-02-06", "2026-02-07")]
    indian, foreign = (
        index("outlet_group", "Indian outlets"),
        index("outlet_group", "foreign outlets"),
    )
    unknown = index("outlet_group", "country not shown")
    by_kind = t["extended_framing_by_group"]
    kinds = by_kind[(by_kind["by"] == "kind") & (by_kind["measure"] == "index")]
    lowest_kind = kinds.sort_values("estimate").iloc[0]
    shared = _row(t["extended_shared_copy"], corpus="coverage")
    clusters = t["extended_wire_clusters"]
    first_members = clusters.drop_duplicates("cluster")
    moved = clusters[(clusters["own_frame_index"] - clusters["frame_index"]).abs() >= 0.1]
    tone = t["extended_tone_by_day"]
    quality = t["extended_topic_quality"]
    k = int(quality.loc[quality["chosen"].astype(str) == "True", "k"].iloc[0])
    seeds = t["extended_seed_sensitivity"].pivot(
        index="doc_id", columns="measured_on", values="frame_index"
    )
    seed_shift = (seeds["full text"] - seeds["opening"]).abs().max()
    voices = tone.pivot(index="group", columns="voice", values="estimate").dropna()
    validation = t["extended_frame_validation"]

    def scored(set_name: str, frame: str, method: str = "codebook rules") -> pd.Series:
        return _row(validation, set=set_name, method=method, frame=frame)

    def f1(row: pd.Series) -> str:
        return f"{row['f1']:.2f} ({row['f1_low']:.2f} to {row['f1_high']:.2f})"

    def rho(row: pd.Series) -> str:
        return f"{row['spearman']:.2f} ({row['spearman_low']:.2f} to {row['spearman_high']:.2f})"

    test_down, test_conv = scored("locked test", "downturn"), scored("locked test", "convergence")
    test_tone = scored("locked test", "convergence - downturn")
    dev_down, dev_conv = scored("development", "downturn"), scored("development", "convergence")
    dev_tone = scored("development", "convergence - downturn")
    gain = scored("development", "convergence - downturn", "weighted index minus index")
    learned = validation[
        (validation["set"] == "locked test")
        & (validation["measure"] == "presence")
        & (validation["method"] != "codebook rules")
    ]
    best_learned = learned.sort_values("f1", ascending=False).iloc[0]
    warmer = int((voices["quotation"] > voices["narration"]).sum())

    lines = [
        f"- **At full size.** {len(articles)} articles ({n_coverage} coverage articles and the "
        f"five seeds) from {articles['outlet'].nunique()} outlets, each measured on its opening "
        f"(first 2,000 characters; the seeds' full texts move their framing index by at most "
        f"{seed_shift:.2f}). {n_undated} articles are undated and are counted apart.",
        f"- **How far to trust the framing measure.** On the {test_down['n_articles']} "
        f"articles of the locked test split, set aside before the codebook was changed and "
        f"scored once, the codebook's article-level decision finds downturn with F1 "
        f"{f1(test_down)} (precision {test_down['precision']:.2f}, recall "
        f"{test_down['recall']:.2f}) and convergence with F1 {f1(test_conv)} (precision "
        f"{test_conv['precision']:.2f}, recall {test_conv['recall']:.2f}); the framing index "
        f"follows the coded tone with Spearman {rho(test_tone)}. Alpha between the measure and "
        f"the adjudicated codes is {test_down['alpha_method']:.2f} (downturn) and "
        f"{test_conv['alpha_method']:.2f} (convergence), where the two coders reached "
        f"{test_down['alpha_coders']:.2f} and {test_conv['alpha_coders']:.2f}. On the "
        f"{dev_down['n_articles']} development articles it was tuned on: F1 "
        f"{dev_down['f1']:.2f} and {dev_conv['f1']:.2f}, Spearman {dev_tone['spearman']:.2f}: "
        f"much of the drop is the optimism of tuning on them. The best learned alternative on "
        f"the test split "
        f"({best_learned['method']}, {best_learned['frame']}) reaches F1 "
        f"{best_learned['f1']:.2f}. The headline- and lead-weighted index tracks tone by "
        f"{gain['spearman']:+.2f} ({gain['spearman_low']:+.2f} to {gain['spearman_high']:+.2f}) "
        f"more on development, an interval that "
        f"{'excludes' if gain['spearman_low'] > 0 else 'includes'} zero, so the framing index "
        f"{'becomes the weighted one' if gain['spearman_low'] > 0 else 'stays unweighted'}. "
        f"Read every difference below against these error rates.",
        f"- **Around 2 February.** Framing index (convergence minus "
        f"downturn share of sentences, 95% interval resampling articles): "
        f"{with_interval(before)} for the {before['n_articles']} articles dated before "
        f"2 February, {with_interval(after)} for the {after['n_articles']} dated from it "
        f"({overlap(before, after)}), "
        f"{with_interval(undated)} for the undated. Downturn language is in "
        f"{percent(present('side', 'before 2 February', 'downturn')['estimate'])} of the articles "
        f"before and {percent(present('side', 'from 2 February', 'downturn')['estimate'])} from "
        f"2 February; convergence in "
        f"{percent(present('side', 'before 2 February', 'convergence')['estimate'])} and "
        f"{percent(present('side', 'from 2 February', 'convergence')['estimate'])}. Around the "
        f"6-7 February framework: {with_interval(framework[0])} on 6 February "
        f"({framework[0]['n_articles']} article), {with_interval(framework[1])} on 7 February "
        f"({framework[1]['n_articles']} articles).",
        f"- **Indian and foreign outlets.** Indian outlets {with_interval(indian)} "
        f"({indian['n_articles']} articles), foreign outlets {with_interval(foreign)} "
        f"({foreign['n_articles']}; {overlap(indian, foreign)}), outlets whose country is not "
        f"shown "
        f"{with_interval(unknown)} ({unknown['n_articles']}). By article kind, "
        f"{lowest_kind['group']} pieces lean furthest to downturn: {with_interval(lowest_kind)} "
        f"({lowest_kind['n_articles']} articles).",
        f"- **Shared copy.** {percent(shared['estimate'])} of the coverage's words "
        f"({percent(shared['low'])} to {percent(shared['high'])}) are in sentences shared with "
        f"another of the {len(articles)} articles; {shared['n_articles_sharing']} of "
        f"{shared['n_articles']} coverage articles share some text, and "
        f"{len(clusters)} articles fall in {len(first_members)} clusters of shared copy "
        f"(largest {int(first_members['cluster_size'].max())} articles). On their own "
        f"sentences, {len(moved)} of those {len(clusters)} articles move their framing index "
        f"by 0.10 or more.",
        f"- **Tone.** The quotations the articles carry are warmer than their narration on "
        f"{warmer} of the {len(voices)} days (the undated group counted as one) with both.",
        f"- **Topics.** The package's rule chooses k = {k} over 3 to 15 for the extended "
        f"corpus's paragraphs.",
    ]
    return "\n".join(lines) + "\n"


def readme_block(readme: Path | str = README) -> str:
    """The text between :data:`BEGIN` and :data:`END` in the README (without the markers)."""
    text = Path(readme).read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise InputError(f"{readme}: no findings markers ({BEGIN} ... {END})")
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def write_readme(readme: Path | str = README, folder: Path | str = EXTENDED_TABLES) -> None:
    """Replace the README's findings block with :func:`findings_markdown`."""
    text = Path(readme).read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise InputError(f"{readme}: no findings markers ({BEGIN} ... {END})")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    new = f"{head}{BEGIN}\n{findings_markdown(folder)}{END}{tail}"
    from analysis.study.provenance import write_paths_atomically

    write_paths_atomically({Path(readme): new.encode("utf-8")})
