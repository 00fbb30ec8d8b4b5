"""The one ordered process map behind the corpus-level stages."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.config import PROJECT_ROOT
from analysis.core.parallel import map_runs, ordered_map

_STARTED_WITH: str | None = None


def _start(value: str) -> None:
    global _STARTED_WITH
    _STARTED_WITH = value


def _started_with_and_pid(number: int) -> tuple[int, str | None, int]:
    return number, _STARTED_WITH, os.getpid()


def _square(number: int) -> int:
    return number * number


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_in_the_order_of_the_calls(workers):
    calls = [(number,) for number in range(40)]
    assert list(ordered_map(_square, calls, workers=workers)) == [n * n for n in range(40)]


def test_at_most_two_calls_per_worker_are_taken_ahead_of_the_first_result():
    taken = []

    def calls():
        for number in range(50):
            taken.append(number)
            yield (number,)

    results = ordered_map(_square, calls(), workers=2)
    assert next(results) == 0
    assert len(taken) <= 4  # flat memory: the rest of the calls are not read yet
    assert list(results) == [n * n for n in range(1, 50)]
    assert len(taken) == 50


def test_the_initializer_runs_in_the_workers_only():
    rows = list(
        ordered_map(
            _started_with_and_pid,
            [(1,), (2,), (3,)],
            workers=2,
            initializer=_start,
            initargs=("verifier",),
        )
    )
    assert [number for number, _, _ in rows] == [1, 2, 3]
    assert {started for _, started, _ in rows} == {"verifier"}
    assert os.getpid() not in {pid for _, _, pid in rows}
    assert _STARTED_WITH is None


def test_workers_must_be_positive():
    with pytest.raises(ValueError, match="workers must be a positive number, not 0"):
        list(ordered_map(_square, [(1,)], workers=0))


def _children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find workers")
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_workers_of_a_killed_run_end_with_it(study, tmp_path, signal_number):
    # `framing run --workers 2`, killed, left both workers running for good (220 MB each)
    from analysis.io.corpus import write_corpus_csv

    copies = [
        study.articles.drop(columns=["clean_text"]).assign(
            doc_id=lambda t, n=n: t["doc_id"] + f"_{n}"
        )
        for n in range(40)
    ]
    corpus = tmp_path / "many.csv"
    write_corpus_csv(pd.concat(copies, ignore_index=True), corpus)
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "run",
            str(corpus),
            "--out",
            str(tmp_path / "run"),
            "--workers",
            "2",
            "--chunk-size",
            "2",
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(lambda: len(_children(run.pid)) >= 2, 120), "the workers never started"
        workers = _children(run.pid)
        run.send_signal(signal_number)
        run.wait(timeout=30)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 10), (
            f"workers left running after {signal_number.name}: "
            f"{[pid for pid in workers if _alive(pid)]}"
        )
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in _children(run.pid) | locals().get("workers", set()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# --- loops over a loaded corpus in runs (map_runs) ---------------------------------------------


def _run_with_pid(letters: str) -> tuple[str, int]:
    return letters, os.getpid()


@pytest.mark.parametrize(
    ("n_items", "workers", "run_size", "n_runs"),
    [(0, 2, 10, 1), (1, 2, 10, 1), (5, 1, 2, 1), (5, 2, 10, 4), (100, 2, 10, 10), (95, 2, 10, 10)],
)
def test_runs_cover_every_item_once_in_order(n_items, workers, run_size, n_runs):
    """Runs of at most ``run_size`` items, at least two per worker (one run in this process
    with one worker), every item once and in order."""
    letters = "".join(chr(ord("a") + i % 26) for i in range(n_items))
    runs = map_runs(_run_with_pid, [letters], workers=workers, run_size=run_size)
    assert "".join(run for run, _ in runs) == letters
    assert len(runs) == n_runs
    assert max(len(run) for run, _ in runs) <= (run_size if n_runs > 1 else n_items)
    assert all(run for run, _ in runs) or n_items == 0  # no empty run among several
    pids = {pid for _, pid in runs}
    if n_runs == 1:
        assert pids == {os.getpid()}  # one run, here
    else:
        assert os.getpid() not in pids  # in the workers


MEASURES_IN_RUNS = [
    "quotations",
    "evidence",
    "frames_per_sentence",
    "frames_per_outlet",
    "tone_per_sentence",
    "tone_per_segment",
    "tone_per_outlet",
    "tone_per_actor",
    "topic_terms",
    "topics_per_unit",
    "topics_per_outlet",
]


def test_measures_in_worker_runs_are_the_measures_in_one_run(study):
    """Quotations, frame indicators and tone found in runs of the seed articles' sentences by
    two processes, and the topic tables beside them: every table the same as in this process,
    to the column type."""
    from analysis.study import measures
    from analysis.study.load import load_study

    pooled = load_study(study.corpus_path, workers=2)
    assert pooled.workers == 2
    for name in MEASURES_IN_RUNS:
        one = getattr(measures, name)(study)
        assert len(one) > 0, name
        pd.testing.assert_frame_equal(getattr(measures, name)(pooled), one, obj=name)


def test_actor_mentions_in_worker_runs_are_those_of_one_run(study, monkeypatch):
    """The seed articles' segments looked up for actors in runs of seven by two processes:
    the same rows, in the same order, as in one run here."""
    import analysis.sentiment
    from analysis.study import measures

    segments, actors = measures.segments(study), measures.actors(study)
    one = analysis.sentiment.segment_actors(segments, study.sentences, actors)
    monkeypatch.setattr(analysis.sentiment, "SEGMENTS_PER_RUN", 7)
    pooled = analysis.sentiment.segment_actors(segments, study.sentences, actors, workers=2)
    assert len(segments) > 4 * 7 and len(one) > 0
    pd.testing.assert_frame_equal(pooled, one)
