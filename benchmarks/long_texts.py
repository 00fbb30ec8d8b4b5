"""Long and odd article texts through `framing score`, each against a time bound (issue 20).

Usage: python benchmarks/long_texts.py [--only NAME]

Writes each corpus to a temporary folder and times `python -m analysis score CORPUS --out
scores.csv` on it in a fresh process (wall time, Python start-up included), as a user would
run it. The corpora, built from fixed text (no randomness):

``whitespace``
    two articles: one with 100,000 spaces and tabs inside a line and in a line of its own,
    one with 20,000 blank lines between its two sentences (the paragraph and wire-credit
    patterns backtracked over every whitespace run: minutes, issue 20 case 5);
``five_mb_prose``
    one 5 MB article of ordinary sentences in JSON Lines (one 5 MB paragraph: NLTK's
    5-second limit on a regular expression stopped the sentence splitter with a traceback);
``five_mb_no_full_stop``
    one 5 MB article with no full stop (one 5 MB "sentence": over 10 minutes inside VADER).

Each must finish with exit code 0 within its bound; the script exits 1 otherwise. The bounds
are in :data:`BOUNDS` and the results in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Seconds each corpus may take (wall time of the whole command).
BOUNDS = {"whitespace": 15.0, "five_mb_prose": 90.0, "five_mb_no_full_stop": 90.0}
#: A command still running at this many times its bound is stopped.
STOP_AFTER = 4
FIVE_MB = 5_000_000
_SENTENCES = [
    "The minister met officials in Washington on Monday.",
    "Talks covered tariffs, trade and critical minerals.",
    "Both sides said the meeting was useful and would continue.",
    "A joint statement is expected later this week.",
]


def _record(doc_id: str, text: str) -> str:
    row = {"id": doc_id, "outlet": "Daily", "date": "2026-02-02", "title": "Talks", "text": text}
    return json.dumps(row) + "\n"


def corpora() -> dict[str, str]:
    """JSON Lines content of each benchmark corpus, by name."""
    spaces = " \t" * 25_000  # 50,000 characters
    whitespace = _record(
        "spaces", f"Talks began. {spaces} They went on.\n{spaces}\nThey ended."
    ) + _record("blank_lines", "Talks began." + "\n" * 20_000 + "They ended.")
    prose = " ".join(_SENTENCES)
    words = " ".join(sentence.rstrip(".").lower() for sentence in _SENTENCES)
    return {
        "whitespace": whitespace,
        "five_mb_prose": _record("prose", (prose + " ") * (FIVE_MB // (len(prose) + 1))),
        "five_mb_no_full_stop": _record(
            "no_full_stop", (words + " ") * (FIVE_MB // (len(words) + 1))
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BOUNDS), help="time one corpus only")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for name, content in corpora().items():
            if args.only and name != args.only:
                continue
            corpus = Path(folder) / f"{name}.jsonl"
            corpus.write_text(content, encoding="utf-8")
            out = Path(folder) / f"{name}_scores.csv"
            started = time.perf_counter()
            try:
                result = subprocess.run(
                    [sys.executable, "-m", "analysis", "score", corpus, "--out", out],
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=STOP_AFTER * BOUNDS[name],
                )
            except subprocess.TimeoutExpired:
                print(f"{name}: stopped after {STOP_AFTER * BOUNDS[name]:.0f} s: FAILED")
                failed = True
                continue
            seconds = time.perf_counter() - started
            ok = result.returncode == 0 and seconds <= BOUNDS[name]
            failed |= not ok
            size = len(content.encode("utf-8")) / 1e6
            print(
                f"{name}: {size:.1f} MB, {seconds:.1f} s (bound {BOUNDS[name]:.0f} s), "
                f"exit {result.returncode}: {'ok' if ok else 'FAILED'}"
            )
            if result.returncode != 0:
                print("   " + result.stderr.strip().replace("\n", "\n   "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
