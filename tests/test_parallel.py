"""The one ordered process map behind the corpus-level stages."""

from __future__ import annotations

import os

import pytest

from analysis.parallel import ordered_map

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
