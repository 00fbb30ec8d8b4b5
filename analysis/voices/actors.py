"""Actors and their mentions: the actor list (people, organisations, countries with aliases).

Actors and their aliases come from ``analysis/codebooks/actors.yaml`` (or the user's file);
:func:`load_actors` validates it, and :meth:`ActorList.mentions` finds actors named in a text.

Examples
--------
>>> actors = load_actors()
>>> [actor.id for _, _, actor in actors.mentions("Jaishankar met Rubio.")]
['Jaishankar', 'Rubio']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.config import CODEBOOK_DIR, read_yaml
from analysis.core.errors import InputError

STUDY_ACTORS = CODEBOOK_DIR / "actors.yaml"
ACTOR_KINDS = ("person", "organisation", "country")


@dataclass(frozen=True)
class Actor:
    """An actor with its aliases."""

    id: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ActorList:
    """Actors and one compiled pattern that finds their mentions."""

    actors: tuple[Actor, ...]
    pattern: re.Pattern
    alias_to_actor: dict[str, Actor]

    def mentions(self, text: str, offset: int = 0) -> list[tuple[int, int, Actor]]:
        """Non-overlapping actor mentions, leftmost-longest, with spans shifted by ``offset``."""
        found = []
        for match in self.pattern.finditer(text):
            alias = match.group()
            actor = self.alias_to_actor.get(alias) or self.alias_to_actor[alias.casefold()]
            found.append((match.start() + offset, match.end() + offset, actor))
        return found

    def by_id(self, actor_id: str) -> Actor:
        return next(actor for actor in self.actors if actor.id == actor_id)


def _alias_regex(alias: str) -> str:
    body = re.escape(alias)
    if alias.isupper() or alias.replace(".", "").isupper():
        return body
    return rf"(?i:{body})"


def parse_actors(raw: object, path: Path) -> ActorList:
    """Validate an actor list read from ``path``."""
    if not isinstance(raw, dict) or not isinstance(raw.get("actors"), list) or not raw["actors"]:
        raise InputError(f"{path}: top level: needs a non-empty list 'actors'")
    actors = []
    for index, item in enumerate(raw["actors"]):
        where = f"{path}: actors[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise InputError(f"{where}: needs a string 'id'")
        where = f"{path}: actor '{item['id']}'"
        if item.get("kind") not in ACTOR_KINDS:
            raise InputError(f"{where}: field 'kind' must be one of {', '.join(ACTOR_KINDS)}")
        aliases = item.get("aliases")
        if (
            not isinstance(aliases, list)
            or not aliases
            or not all(isinstance(a, str) and a.strip() for a in aliases)
        ):
            raise InputError(f"{where}: field 'aliases' must be a non-empty list of strings")
        actors.append(Actor(item["id"], item["kind"], tuple(a.strip() for a in aliases)))
    alias_to_actor: dict[str, Actor] = {}
    for actor in actors:
        for alias in actor.aliases:
            key = alias if alias.isupper() else alias.casefold()
            if key in alias_to_actor and alias_to_actor[key] is not actor:
                raise InputError(
                    f"{path}: actor '{actor.id}': alias {alias!r} also belongs to "
                    f"'{alias_to_actor[key].id}'"
                )
            alias_to_actor[key] = actor
    ordered = sorted({a for actor in actors for a in actor.aliases}, key=lambda a: (-len(a), a))
    # one word-boundary check around the alternation (longest aliases first)
    alternatives = "|".join(_alias_regex(alias) for alias in ordered)
    # the lookahead lets most positions fail at once, before the alternatives are tried
    first_letters = re.escape("".join(sorted({alias[0].lower() for alias in ordered})))
    pattern = re.compile(rf"(?=(?i:[{first_letters}]))(?<![\w@])(?:{alternatives})(?![\w])")
    return ActorList(tuple(actors), pattern, alias_to_actor)


def load_actors(path: Path | str | None = None) -> ActorList:
    """Read the actor list (the study's when ``path`` is ``None``)."""
    path = Path(path) if path is not None else STUDY_ACTORS
    try:
        raw = read_yaml(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such actor file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_actors(raw, path)


def actor_mentions(sentences: pd.DataFrame, actors: ActorList) -> pd.DataFrame:
    """One row per (sentence, actor) mentioned: doc_id, sent_idx, actor, n_mentions."""
    rows = []
    for sentence in sentences.itertuples(index=False):
        counts: dict[str, int] = {}
        for _, _, actor in actors.mentions(sentence.text):
            counts[actor.id] = counts.get(actor.id, 0) + 1
        rows.extend(
            {"doc_id": sentence.doc_id, "sent_idx": sentence.sent_idx, "actor": a, "n_mentions": n}
            for a, n in counts.items()
        )
    return pd.DataFrame(rows, columns=["doc_id", "sent_idx", "actor", "n_mentions"])
