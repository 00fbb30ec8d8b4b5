"""What a report is about: its title, the question it asks and the frames of interest.

A study description (:class:`StudyDescription`) comes from a YAML file beside the corpus
(:func:`description_file`), from ``framing report --study``, ``--title`` and ``--question``, or,
for the study's own corpus, from :data:`STUDY_DESCRIPTION`; :func:`load_description` chooses and
checks it for :mod:`analysis.outputs.report`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from analysis.core.config import read_yaml
from analysis.core.errors import InputError
from analysis.outputs.figures.registry import is_study_corpus
from analysis.study import measures
from analysis.study.load import Study

REPORT_TITLE = "How outlets framed S. Jaishankar's February 2026 US visit: downturn or convergence?"
#: The fields a study description may have.
DESCRIPTION_FIELDS = ("title", "question", "frames")
#: A study description is a few lines; anything larger is refused before it is parsed.
MAX_DESCRIPTION_BYTES = 64 * 1024


@dataclass(frozen=True)
class StudyDescription:
    """What a report is about: its title, the question it asks and the frames of interest.

    Parameters
    ----------
    title
        The report's heading.
    question
        One or two sentences: what the corpus is read for (none: no question is stated).
    frames
        Ids of the codebook's frames the study is most about, listed in the introduction
        (none: every frame counts alike).
    source
        Where the description came from, for the introduction (``None``: made up from the
        corpus's name).
    """

    title: str
    question: str = ""
    frames: tuple[str, ...] = ()
    source: str | None = None


#: The Jaishankar study's own description (the report of ``corpus/``).
STUDY_DESCRIPTION = StudyDescription(
    title=REPORT_TITLE,
    question=(
        "Did news outlets frame External Affairs Minister S. Jaishankar's 2-4 February 2026 "
        "visit to the United States for the Critical Minerals Ministerial as a downturn in "
        "relations or as strategic convergence?"
    ),
    frames=("downturn", "convergence"),
    source="the study",
)


def description_file(corpus: Path | str) -> Path:
    """Where a corpus's study description is looked for: ``study.yaml`` inside a corpus folder,
    ``<name>.study.yaml`` beside a corpus file (``news.csv``: ``news.study.yaml``).

    >>> description_file("data/news.csv").as_posix()
    'data/news.study.yaml'
    """
    corpus = Path(corpus)
    if corpus.is_dir():
        return corpus / "study.yaml"
    return corpus.with_name(corpus.name.split(".")[0] + ".study.yaml")


def _corpus_name(corpus: Path) -> str:
    return corpus.resolve().name.split(".")[0] or "the corpus"


def load_description(
    study: Study,
    *,
    path: Path | str | None = None,
    title: str | None = None,
    question: str | None = None,
) -> StudyDescription:
    """The study description of ``study``'s report.

    From ``path`` if given, else from :func:`description_file` when it exists; the study's own
    for ``corpus/``; otherwise a title made from the corpus's name. ``title`` and ``question``
    (the command line's options) replace the file's. Raises :class:`InputError` naming the file
    and field for a description that cannot be used (unknown field, empty title, a frame the
    codebook does not have).
    """
    if (
        path is None
        and not is_study_corpus(study)
        and description_file(study.corpus_path).is_file()
    ):
        path = description_file(study.corpus_path)
    if path is not None:
        description = _read_description(Path(path), measures.codebook(study).frame_ids)
    elif is_study_corpus(study):
        description = STUDY_DESCRIPTION
    else:
        name = _corpus_name(study.corpus_path)
        description = StudyDescription(title=f"Framing, tone and shared text in {name}")
    for option, value in (("--title", title), ("--question", question)):
        if value is not None and not value.strip():
            raise InputError(f"{option}: give some text")
    return replace(
        description,
        title=title.strip() if title else description.title,
        question=question.strip() if question else description.question,
    )


def _read_description(path: Path, frame_ids: list[str]) -> StudyDescription:
    try:
        if path.stat().st_size > MAX_DESCRIPTION_BYTES:
            raise InputError(
                f"{path}: larger than {MAX_DESCRIPTION_BYTES // 1024} KiB; a study description "
                "has a title, a question and a list of frames"
            )
        data = read_yaml(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: give a mapping with the fields {', '.join(DESCRIPTION_FIELDS)}")
    unknown = [str(key) for key in data if key not in DESCRIPTION_FIELDS]
    if unknown:
        raise InputError(
            f"{path}: field {unknown[0]!r}: unknown (fields: {', '.join(DESCRIPTION_FIELDS)})"
        )
    for field in ("title", "question"):
        if field in data and not isinstance(data[field], str):
            raise InputError(f"{path}: field {field!r}: give text")
    title = str(data.get("title") or "").strip()
    if not title:
        raise InputError(f"{path}: field 'title': give the report's title")
    frames = data.get("frames") or []
    if not isinstance(frames, list) or not all(isinstance(frame, str) for frame in frames):
        raise InputError(f"{path}: field 'frames': give a list of frame ids")
    for frame in frames:
        if frame not in frame_ids:
            raise InputError(
                f"{path}: field 'frames': no frame {frame!r} in the codebook "
                f"(frames: {', '.join(frame_ids)})"
            )
    return StudyDescription(
        title=title,
        question=str(data.get("question") or "").strip(),
        frames=tuple(frames),
        source=path.name,
    )
