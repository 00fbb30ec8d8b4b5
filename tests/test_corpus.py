"""Loading and validating corpora: the study folder, CSV and JSONL, and every malformed case."""

from __future__ import annotations

import gzip
import json
import lzma
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.config import CORPUS_DIR
from analysis.core.errors import InputError
from analysis.io.checks import parse_date
from analysis.io.corpus import (
    ARTICLE_COLUMNS,
    corpus_hash,
    load_corpus,
    write_corpus_csv,
)

SEEDS_DIR = CORPUS_DIR.parent.parent / "shared" / "seeds"


def test_study_folder_has_the_five_seeds_with_their_sources_facts():
    articles = load_corpus(CORPUS_DIR)
    assert articles.columns.tolist() == ARTICLE_COLUMNS
    facts = articles.set_index("doc_id")
    # The facts of SOURCES.md: outlet, date (blank where the page shows none) and wire credit.
    assert facts.loc["000_401876e4a38e5f6a", ["outlet", "date", "wire"]].tolist() == [
        "Zee News",
        "2026-02-02",
        "ANI",
    ]
    assert facts.loc["001_007810bbd4f0c755", ["outlet", "date", "wire"]].tolist() == [
        "Mint",
        "2026-01-29",
        "ANI",
    ]
    assert facts.loc["002_c8d28f76708f7b72", ["outlet", "wire"]].tolist() == ["The Indian Eye", ""]
    assert facts.loc["003_64a7326cbf7174be", "date"] == ""
    assert facts.loc["004_5d30f4b5353722a7", ["outlet", "wire"]].tolist() == [
        "The Telegraph (India)",
        "PTI",
    ]


def test_raw_files_are_kept_verbatim():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed folder not found at {SEEDS_DIR}")
    for seed in SEEDS_DIR.glob("0*.txt"):
        assert (CORPUS_DIR / "articles" / seed.name).read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_file_corpus_gives_the_same_table_as_the_folder(tmp_path, suffix):
    folder = load_corpus(CORPUS_DIR)
    path = tmp_path / f"corpus{suffix}"
    if suffix == ".csv":
        write_corpus_csv(folder, path)
    else:
        with path.open("w", encoding="utf-8") as stream:
            for row in folder.rename(columns={"doc_id": "id"}).to_dict("records"):
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    from_file = load_corpus(path)
    pd.testing.assert_frame_equal(from_file, folder)
    assert corpus_hash(from_file) == corpus_hash(folder)


def test_csv_with_newlines_quotes_and_a_byte_order_mark_loads(tmp_path):
    text = 'He said, "We are close."\nA second paragraph, with a comma; and “curly” quotes.'
    frame = pd.DataFrame(
        [{"id": "a1", "outlet": "Daily", "date": "2026-02-03", "title": "T", "text": text}]
    )
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + frame.to_csv(index=False).encode("utf-8"))
    loaded = load_corpus(path)
    assert loaded.loc[0, "doc_id"] == "a1"  # the BOM did not leak into the first column name
    assert loaded.loc[0, "text"] == text
    assert loaded.loc[0, "url"] == "" and loaded.loc[0, "wire"] == ""


def test_dates_are_normalised_and_blank_stays_blank():
    assert parse_date("2026-02-02T10:15:00Z") == "2026-02-02"
    assert parse_date(" 2026-02-02 ") == "2026-02-02"
    assert parse_date("") == ""
    with pytest.raises(ValueError):
        parse_date("02/02/2026")


GOOD_ROW = "a1,Daily,2026-02-02,A title,The minister left for Washington on Monday.\n"
HEADER = "id,outlet,date,title,text\n"


def _write(path: Path, content: bytes | str) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# Each malformed input, and what its one line must name.
MALFORMED = {
    "empty file": ("empty.csv", "", ["empty.csv", "empty"]),
    "not UTF-8": (
        "latin1.csv",
        (HEADER + "a1,Daily,2026-02-02,Caf\xe9,Text here.\n").encode("latin-1"),
        ["latin1.csv", "UTF-8", "line 2"],
    ),
    "missing column": (
        "nocol.csv",
        "id,outlet,date,text\n" + "a1,Daily,2026-02-02,Text.\n",
        ["nocol.csv", "'title'"],
    ),
    "duplicate ids": (
        "dup.csv",
        HEADER + GOOD_ROW + GOOD_ROW,
        ["dup.csv", "row 2", "'id'", "duplicate"],
    ),
    "unparseable date": (
        "date.csv",
        HEADER + "a1,Daily,Feb 2nd,A title,Some text here.\n",
        ["date.csv", "row 1", "'date'", "Feb 2nd"],
    ),
    "no sentences": (
        "nosent.csv",
        HEADER + GOOD_ROW + 'a2,Daily,2026-02-02,T,"\n\nLeave a Reply\n"\n',
        ["nosent.csv", "a2", "no sentences"],
    ),
    "empty text": (
        "notext.csv",
        HEADER + "a1,Daily,2026-02-02,T,\n",
        ["notext.csv", "row 1", "'text'"],
    ),
    "extra field": (
        "extra.csv",
        HEADER + GOOD_ROW + 'a2,Daily,2026-02-02,T,"Some text here.",extra stuff\n',
        ["extra.csv", "row 2", "6 fields"],
    ),
    "bad jsonl": ("bad.jsonl", '{"id": "a1", "outlet": "D"\n', ["bad.jsonl", "line 1"]),
    "NUL byte in a text": (
        "nul.csv",
        HEADER + GOOD_ROW + "a2,Daily,2026-02-02,T,Talks began.\x00 They ended.\n",
        ["nul.csv", "row 2", "'text'", "U+0000"],
    ),
    "escape character in a title (JSON Lines)": (
        "esc.jsonl",
        '{"id": "a1", "outlet": "D", "date": "", "title": "T\\u001b[31m", "text": "Talks began."}\n',
        ["esc.jsonl", "row 1", "'title'", "U+001B"],
    ),
    "a field longer than any article": (
        "huge.csv",
        HEADER + GOOD_ROW + 'a2,Daily,2026-02-02,T,"' + "word " * 2_000_001 + '"\n',
        ["huge.csv", "row 2", "10,000,000"],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("command", ["validate", "figures"])
def test_malformed_input_gives_one_line_and_exit_2_and_no_output(tmp_path, run_cli, case, command):
    name, content, must_name = MALFORMED[case]
    path = _write(tmp_path / name, content)
    out_dir = tmp_path / "out"
    if command == "validate":
        result = run_cli("validate", path)
        lines = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    else:
        result = run_cli("figures", "--corpus", path, "--out", out_dir)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
    assert result.code == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert lines, result.stdout + result.stderr
    for fragment in must_name:
        assert fragment in lines[0], (fragment, lines[0])
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_folder_with_no_articles(tmp_path, run_cli):
    result = run_cli("figures", "--corpus", tmp_path, "--out", tmp_path / "out")
    assert result.code == 2
    assert str(tmp_path) in result.stderr and "no articles" in result.stderr
    (tmp_path / "metadata.csv").write_text("id,outlet,date,title,file\n", encoding="utf-8")
    result = run_cli("validate", tmp_path)
    assert result.code == 2 and "no articles" in result.stdout


def test_validate_lists_every_problem_not_only_the_first(tmp_path, run_cli):
    path = _write(
        tmp_path / "many.csv",
        HEADER + GOOD_ROW + GOOD_ROW + "a3,,not-a-date,T,Text that is long enough.\n",
    )
    result = run_cli("validate", path)
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert result.code == 2
    assert len(errors) == 3  # duplicate id, empty outlet, bad date
    assert "3 errors" in result.stdout


def test_validate_counts_a_warning_that_repeats_and_lists_every_error(tmp_path, run_cli):
    # 1,500 undated articles printed 1,500 identical warnings, burying anything else
    rows = "".join(f"u{i},Outlet,,T,Text that is long enough.\n" for i in range(8))
    path = _write(tmp_path / "undated.csv", HEADER + rows + "u0,,,T,Text that is long enough.\n")
    result = run_cli("validate", path)
    lines = result.stdout.splitlines()
    undated = [line for line in lines if line.startswith("warning:") and "no date" in line]
    assert len(undated) == 4  # three listed (rows 1-3), then one line counting the rest
    assert "row 1, field 'date'" in undated[0] and "row 3, field 'date'" in undated[2]
    assert undated[3].startswith("warning: 6 more like the above: no date")
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 2 and result.code == 2  # duplicate id, empty outlet: both listed
    assert "(2 errors, 9 warnings)" in lines[-1]
    every = run_cli("validate", path, "--all-problems").stdout.splitlines()
    assert sum(line.startswith("warning:") and "no date" in line for line in every) == 9
    assert run_cli("validate", path, "--all-warnings").stdout.splitlines() == every


def test_validate_counts_an_error_that_repeats_and_says_what_dates_it_reads(tmp_path, run_cli):
    # 300 rows of DD/MM/YYYY dates printed 300 error lines, none saying which format is read
    rows = "".join(
        f"d{i},Outlet,0{i % 9 + 1}/04/2005,T,Text that is long enough.\n" for i in range(7)
    )
    path = _write(tmp_path / "uk_dates.csv", HEADER + rows)
    for options in ((), ("--id-col", "id")):  # the whole-file and the chunked reader
        result = run_cli("validate", path, *options)
        errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
        assert result.code == 2 and len(errors) == 4, result.stdout
        assert all("(use YYYY-MM-DD, or leave it blank)" in line for line in errors[:3])
        assert errors[3].startswith("error: 4 more like the above: cannot parse … as a date")
        assert "(0 errors" not in result.stdout and "7 errors" in result.stdout


def test_load_corpus_error_counts_the_other_problems(tmp_path):
    path = _write(tmp_path / "two.csv", HEADER + GOOD_ROW + GOOD_ROW.replace("2026-02-02", "x"))
    with pytest.raises(InputError, match=r"and 1 more"):
        load_corpus(path)


def test_the_study_corpus_validates(run_cli):
    result = run_cli("validate", "corpus")
    assert result.code == 0, result.stdout
    assert "corpus: ok (0 errors, 2 warnings)" in result.stdout
    assert "outlet imbalance: 5 outlets" in result.stdout  # one article each


def _folder_corpus(folder: Path, file_name: str) -> Path:
    folder.mkdir()
    (folder / "inside.txt").write_text("The minister met officials on Monday.\n", encoding="utf-8")
    (folder / "metadata.csv").write_text(
        "id,outlet,date,title,file\n"
        "a1,Daily,2026-02-02,T,inside.txt\n"
        f"a2,Daily,2026-02-02,T,{file_name}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    "how", ["parent", "absolute", "symlink", "symlinked metadata", "missing outside"]
)
@pytest.mark.parametrize("command", ["validate", "score", "kwic"])
def test_a_corpus_folder_reads_no_file_outside_itself(tmp_path, run_cli, how, command):
    secret = tmp_path / "outside.txt"
    secret.write_text("Secret words the corpus must never show.\n", encoding="utf-8")
    names = {
        "parent": "../outside.txt",
        "absolute": str(secret),
        "symlink": "link.txt",
        "missing outside": "../no_such_file.txt",  # whether it exists is not told either
    }
    folder = _folder_corpus(tmp_path / "corpus", names.get(how, "inside.txt"))
    if how == "symlink":
        (folder / "link.txt").symlink_to(secret)
    if how == "symlinked metadata":
        elsewhere = tmp_path / "metadata_elsewhere.csv"
        (folder / "metadata.csv").rename(elsewhere)
        (folder / "metadata.csv").symlink_to(elsewhere)
    out = tmp_path / "scores.csv"
    args = {
        "validate": ["validate", folder],
        "score": ["score", folder, "--out", out],
        "kwic": ["kwic", "Secret", "--corpus", folder],
    }[command]
    result = run_cli(*args)
    assert result.code == 2, result.stdout + result.stderr
    assert "Secret" not in result.stdout + result.stderr.replace("kwic Secret", "")
    assert "Traceback" not in result.stderr
    message = result.stderr if command != "validate" else result.stdout
    error_lines = [line for line in message.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and "outside the corpus folder" in error_lines[0], message
    if how != "symlinked metadata":
        assert "row 2" in error_lines[0] and "'file'" in error_lines[0]
    assert not out.exists()


def test_a_text_beyond_the_csv_modules_default_field_limit_loads(tmp_path):
    text = "The minister met officials. " * 10_000  # 280,000 characters (limit was 131,072)
    path = _write(tmp_path / "long.csv", HEADER + f'a1,Daily,2026-02-02,T,"{text}"\n')
    assert load_corpus(path).loc[0, "text"] == text


def test_control_characters_in_a_corpus_folders_file_name_the_row_and_field(tmp_path):
    folder = _folder_corpus(tmp_path / "corpus", "inside.txt")
    (folder / "inside.txt").write_bytes(b"Talks began.\x0c They ended.\n")
    with pytest.raises(InputError, match=r"row 1, field 'file'.*U\+000C"):
        load_corpus(folder)


@pytest.mark.parametrize("command", ["import", "run"])
def test_streaming_commands_refuse_control_characters_naming_row_and_field(
    tmp_path, run_cli, command
):
    path = _write(tmp_path / "nul.csv", HEADER + GOOD_ROW + "a2,Dai\x01ly,2026-02-02,T,Text.\n")
    out = tmp_path / ("out.parquet" if command == "import" else "run")
    result = run_cli(command, path, "--out", out)
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "row 2, field 'outlet'" in lines[0] and "U+0001" in lines[0]
    assert not out.exists()


@pytest.mark.parametrize(("suffix", "opener"), [(".xz", lzma.open), (".gz", gzip.open)])
def test_a_compressed_csv_reads_as_the_plain_file_does(tmp_path, suffix, opener):
    plain = tmp_path / "seeds.csv"
    write_corpus_csv(load_corpus(CORPUS_DIR), plain)
    packed = tmp_path / f"seeds.csv{suffix}"
    with opener(packed, "wb") as stream:
        stream.write(plain.read_bytes())
    pd.testing.assert_frame_equal(load_corpus(packed), load_corpus(plain))
    broken = tmp_path / f"broken.csv{suffix}"
    broken.write_bytes(b"not compressed at all")
    with pytest.raises(InputError, match=rf"^{broken}: cannot read \("):
        load_corpus(broken)
