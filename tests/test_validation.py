"""Hand-coding files, agreement, and method scores against the adjudicated codes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis.core.errors import InputError
from analysis.framing import CodebookFeaturizer
from analysis.framing.codebook import load_codebook
from analysis.outputs.figures.framing import plot_frame_validation
from analysis.study import measures
from analysis.study.figure_tables import frame_validation_table
from analysis.validation.seeds import (
    ANNOTATIONS_DIR,
    CODER_FILES,
    GOLD_FILE,
    alpha,
    baseline_model,
    leave_one_article_out,
    precision_recall_f1,
    read_frame_codes,
)


def test_annotation_files_cover_every_seed_sentence_with_date_and_codebook_version(study):
    versions = {str(entry["version"]) for entry in load_codebook().changelog}
    keys = set(zip(study.sentences["doc_id"], study.sentences["sent_idx"], strict=True))
    for name in (*CODER_FILES, GOLD_FILE):
        raw = pd.read_csv(ANNOTATIONS_DIR / name, dtype=str, keep_default_na=False)
        assert set(zip(raw["doc_id"], raw["sent_idx"].astype(int), strict=True)) == keys, name
        assert set(raw["codebook_version"]) <= versions
        date_column = "coded_on" if "coded_on" in raw else "adjudicated_on"
        assert raw[date_column].str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def test_gold_keeps_every_agreed_code(study):
    frame_ids = load_codebook().frame_ids
    a, b, gold = (
        read_frame_codes(ANNOTATIONS_DIR / name, frame_ids) for name in (*CODER_FILES, GOLD_FILE)
    )
    for frame_id in frame_ids:
        agreed = a[frame_id] == b[frame_id]
        assert (gold.loc[agreed, frame_id] == a.loc[agreed, frame_id]).all(), frame_id


def test_unknown_frame_in_an_annotation_file_names_file_and_row(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("doc_id,sent_idx,frames\na,0,downturn\na,1,convergence;optimism\n")
    with pytest.raises(
        InputError, match=r"codes.csv: row 3: field 'frames': unknown frame 'optimism'"
    ):
        read_frame_codes(path, ["downturn", "convergence"])


def test_alpha_is_one_for_identical_codes_and_lower_with_disagreement():
    codes = pd.Series([1, 0, 1, 0, 0, 1])
    assert alpha(codes, codes) == pytest.approx(1.0)
    assert alpha(codes, 1 - codes) < 0
    assert np.isnan(alpha(pd.Series([0, 0]), pd.Series([0, 0])))


def test_precision_recall_f1_on_a_constructed_case():
    scores = precision_recall_f1(np.array([1, 1, 1, 0, 0]), np.array([1, 1, 0, 1, 0]))
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)
    assert np.isnan(precision_recall_f1(np.array([0, 0]), np.array([0, 0]))["precision"])


def test_leave_one_article_out_never_trains_on_the_article_it_predicts():
    # each article's sentences are labelled by a word that only appears in that article, so a
    # model that saw the test article would get it right and one that did not cannot
    texts = pd.Series(["alpha one", "alpha two", "beta one", "beta two", "gamma one", "gamma two"])
    labels = pd.Series([1, 1, 0, 0, 0, 0])
    groups = pd.Series(["a", "a", "b", "b", "c", "c"])
    with pytest.warns(UserWarning, match="one class only without a"):
        predicted = leave_one_article_out(texts, labels, groups)
    assert predicted[:2].tolist() == [0, 0]


def test_the_baseline_model_follows_the_scikit_learn_contract():
    # scikit-learn's estimator checks feed numeric arrays; the baseline reads texts (its first
    # step is a TF-IDF vectoriser), so its contract is checked here on texts
    texts = ["Ties are strained.", "Trade talks stalled.", "A reset in ties.", "Ties deepen."]
    labels = np.array([1, 1, 0, 0])
    model = baseline_model()
    with pytest.raises(NotFittedError):
        model.predict(texts)
    assert clone(model).get_params().keys() == model.get_params().keys()
    assert model.fit(texts, labels) is model
    featurizer = model.steps[0][1].transformer_list[1][1]
    assert isinstance(featurizer, CodebookFeaturizer) and featurizer.frame_ids_
    assert model.predict(texts).tolist() == labels.tolist()


def test_validation_table_scores_every_frame_for_both_methods(study):
    table = frame_validation_table(study)
    frame_ids = measures.codebook(study).frame_ids
    assert sorted(table["frame"].unique()) == sorted(frame_ids)
    assert set(table["method"]) == {"codebook detector", "baseline (LR, leave-one-article-out)"}
    assert (table["n_sentences"] == len(study.sentences)).all()
    detector = table[table["method"] == "codebook detector"].set_index("frame")
    detected = measures.frames_per_sentence(study)
    for frame_id in frame_ids:
        assert (
            detector.loc[frame_id, "tp"] + detector.loc[frame_id, "fp"] == detected[frame_id].sum()
        )
        assert (
            detector.loc[frame_id, "tp"] + detector.loc[frame_id, "fn"]
            == detector.loc[frame_id, "gold_positive"]
        )
    assert table["alpha_coders"].between(-1, 1).all()


def test_another_codebook_is_validated_on_the_frames_the_hand_codes_have(tmp_path, study):
    import yaml

    from analysis.framing.codebook import STUDY_CODEBOOK
    from analysis.study.load import load_study

    raw = yaml.safe_load(STUDY_CODEBOOK.read_text(encoding="utf-8"))
    kept = [frame for frame in raw["frames"] if frame["id"] != "convergence"]
    kept[0] = {**kept[0], "id": "my_frame"}  # a frame of the user's, unknown to the coders
    codebook = tmp_path / "mine.yaml"
    codebook.write_text(yaml.safe_dump({**raw, "frames": kept}, sort_keys=False), "utf-8")
    table = frame_validation_table(load_study(study.corpus_path, codebook=codebook))
    scored = table[table["method"].notna()]
    assert set(scored["frame"]) == {frame["id"] for frame in kept[1:]}
    study_rows = frame_validation_table(study).set_index(["frame", "method"])
    for row in scored.itertuples():  # the same codes; the same detector rules, the same hits
        expected = study_rows.loc[(row.frame, row.method)]
        assert row.gold_positive == expected["gold_positive"]
        if row.method == "codebook detector":
            assert (row.tp, row.fp) == (expected["tp"], expected["fp"])
    assert table.loc[table["method"].isna(), "frame"].tolist() == ["my_frame"]
    assert table.loc[table["frame"] == "my_frame", "note"].item().startswith(
        "not scored: the hand codes were made with the study codebook"
    )
    figure, ax = plt.subplots()
    plot_frame_validation(table, ax)
    assert "my_frame" not in " ".join(label.get_text() for label in ax.get_yticklabels())
    plt.close(figure)


def test_validation_is_empty_for_a_corpus_without_annotations(tmp_path):
    from analysis.study.load import load_study

    path = tmp_path / "c.csv"
    pd.DataFrame(
        {"id": ["x"], "outlet": ["O"], "date": [""], "title": [""], "text": ["Ties are strained."]}
    ).to_csv(path, index=False)
    table = frame_validation_table(load_study(path))
    assert table.empty
    figure, ax = plt.subplots()
    assert plot_frame_validation(table, ax) is ax
    assert [text.get_text() for text in ax.texts] == ["no hand codes for this corpus"]
    assert ax.get_legend() is None and not ax.axison
    plt.close(figure)
