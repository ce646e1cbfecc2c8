"""A routine matter told in the same message as a danger now (trial 32 D16).

「我想反映一下物业乱收停车费的问题，收费标准一直不公示。对了刚才路过三楼闻到很大的煤气味」 is
filed at once as one critical case, for the gas smell; the parking fees were lost inside it
(the police do not handle a 物业's fees). :func:`other_matter` finds the words that tell
the other matter, so that the citizen can be offered to file them as a request of their
own once the danger is filed (:mod:`handlers.other_matter`).

The words kept are the sentences that name no danger; nothing of the danger's own sentence
is kept (before the danger it tells the cause: 井盖丢了好几天了没人管，刚才有个小孩掉下去了;
after it, the context: 敲门也没人应 — review 1, R3). Someone who spoke of self-harm is not offered a
routine filing at that moment. Whether the words name an office's matter is the
classifier's answer, asked by the handler (:func:`bot.services.routine_problems.names_an_office`).
"""

from __future__ import annotations

import re

from bot.services.lifecycle_rules import meaningful_length
from bot.services.triage import SELF_HARM, emergency_of, triage

__all__ = ["MIN_CHARS", "other_matter"]

#: The fewest meaningful characters of a matter worth offering (物业乱收停车费 is 7).
MIN_CHARS = 6

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")
_CLAUSE = re.compile(r"[^，,、：:]+[，,、：:]*")
#: Words that join the clause to what came before (还有…, 对了…, 另外…): not the matter's.
_LINK = re.compile(r"^(?:还有|另外|对了|顺便|同时|以及|并且|而且|然后)[，,、 ]*")
_TRIM = " ，,、：:。！？!?；;\n"


def _names_danger(clause: str, parts: tuple[str, ...]) -> bool:
    return emergency_of(clause) is not None or any(p in clause for p in parts)


def other_matter(text: str) -> str | None:
    """The words of ``text`` that tell a matter other than its danger now, or None.

    None when ``text`` tells of no danger now, of self-harm, or when what is left is too
    short or is no request (a greeting, a thank-you, a vague word).
    """
    found = emergency_of(text)
    if found is None or found.kind == SELF_HARM:
        return None
    parts = tuple(p for w in found.words for p in w.split("…") if p)
    runs: list[list[str]] = [[]]
    for sentence in _SENTENCE.findall(text):
        clauses = _CLAUSE.findall(sentence)
        danger = [i for i, c in enumerate(clauses) if _names_danger(c, parts)]
        # The danger's own sentence is its cause and context (井盖丢了…小孩掉下去了): never
        # offered as another matter (review 1, R3).
        kept = [] if danger else clauses
        runs[-1].extend(kept)
        if danger:
            runs.append([])
    for run in runs:
        matter = _LINK.sub("", "".join(run).strip(_TRIM)).strip(_TRIM)
        if meaningful_length(matter) < MIN_CHARS or emergency_of(matter) is not None:
            continue
        if triage(matter).kind == "request":
            return matter
    return None
