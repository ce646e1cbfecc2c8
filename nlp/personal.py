"""Personal names and flat numbers in a citizen's words, for texts shown in public.

Open311's request list is read by every partner that holds a key, so a description
must not name the people in it (trial 29 P6: 她叫赵桂兰 was shown as typed). The
names are found with jieba's part-of-speech tagger (``jieba.posseg``, the
segmenter the service already uses, over the district's dictionary), which tags
person names ``nr`` (``nrfg``, ``nrt``) and guesses unknown given names with its
HMM:

* A name introduced by a word that introduces names (她叫 / 他叫 / 老人叫 / 名叫 /
  叫做 / 名字是 / 姓名：/ 联系人) becomes 某某 when the tagger reads the words after
  it as a name (叫救护车 is left alone); after 名叫, 名字叫/是, 姓名 and 联系人 the
  words are a name whatever the tagger says.
* 姓赵 / 姓李 (she is surnamed …) becomes 姓某.

A name that nothing introduces (隔壁的刘建国天天打孩子) is left: jieba's dictionary
tags ordinary words as names too (红绿灯 is ``nr``), so masking every word it
tags would blank out the complaint itself; the reporter's own name is masked by
the caller (``first_name`` / ``last_name``).

Not a regular expression alone: Chinese has no capital letters or spaces to
mark a name, and after 叫 comes a name as often as an action (叫人来修). A
surname with a kinship word (赵大妈, 王师傅) is kept: it names nobody outside
the street.

Flat numbers: a number right after a building or unit part (十二栋502, 3单元1202,
5号楼302) becomes *; :func:`mask_flat_numbers` is applied after the house parts
themselves are masked.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from nlp.segment import tokenizer

__all__ = ["NAME_FLAGS", "SOMEONE", "mask_flat_numbers", "mask_person_names", "pos_tagger"]

#: What stands for a person's name.
SOMEONE = "某某"

_HAN = r"[\u4e00-\u9fff]"
#: Words after which a name follows for sure (名叫, 名字是, 姓名：, 联系人：).
_SURE = r"名叫|名字叫|名字是|叫做|姓名(?:是|为)?\s*[：:]?|联系人\s*[：:]?"
#: 叫 / 是 after a person (她叫, 老人叫): a name only when the tagger reads one.
_MAYBE = r"叫"
#: Where a name ends: punctuation, a space, or a word that starts what comes next.
_END = (
    r"(?=[，,。.；;、！!？?\s（()）:：]|电话|手机|联系|住在|住|家住|今年|年龄|岁|"
    r"是|在|的|和|跟|与|也|都|被|把|给|说|$)"
)
_INTRODUCED = re.compile(rf"(?P<intro>{_SURE}|{_MAYBE})(?P<name>{_HAN}{{2,4}}?){_END}")
#: 她姓赵, 他姓李 (one or two characters of surname: 欧阳).
_SURNAME = re.compile(rf"(?<=[她他我您人主长]姓)(?!名){_HAN}")
#: The tags jieba gives person names (``nr``; ``nrfg``, ``nrt`` for some).
NAME_FLAGS = ("nr", "nrfg", "nrt")
_NUMERAL = r"[0-9０-９一二三四五六七八九十百零〇两]"
#: A number after a building or unit part: 十二栋502, 3单元1202, 5号楼302, 8幢2-301.
_FLAT = re.compile(
    rf"(?<=[栋幢座元楼])(?P<flat>\s*(?:{_NUMERAL}{{1,2}}[-－])?{_NUMERAL}{{2,4}})"
    r"(?![0-9０-９]|\s*(?:元|块|年|月|日|天|人|岁|米|平|个|次|万|千|多|余|户|辆|分))"
)
_LOCK = threading.Lock()
_TAGGER: Any = None


def pos_tagger() -> Any:
    """jieba's part-of-speech tagger over the district's dictionary, built once (thread-safe)."""
    global _TAGGER
    if _TAGGER is None:
        with _LOCK:
            if _TAGGER is None:
                import jieba.posseg

                _TAGGER = jieba.posseg.POSTokenizer(tokenizer())
    return _TAGGER


def _tags(text: str) -> list[tuple[str, str]]:
    return [(pair.word, pair.flag) for pair in pos_tagger().cut(text)]


def _reads_as_name(words: str) -> bool:
    """Whether the tagger reads the start of ``words`` as a person's name."""
    tags = _tags(words)
    return bool(tags) and tags[0][1] in NAME_FLAGS


@lru_cache(maxsize=4096)
def mask_person_names(text: str) -> str:
    """``text`` with the names of people in it replaced by 某某 (see the module).

    >>> mask_person_names("赵大妈低保被取消了，她叫赵桂兰，住湖滨社区")
    '赵大妈低保被取消了，她叫某某，住湖滨社区'
    >>> mask_person_names("路灯坏了，叫人来修也没用")
    '路灯坏了，叫人来修也没用'
    >>> mask_person_names("他姓李，是个包工头")
    '他姓某，是个包工头'
    """
    if not text:
        return text

    def introduced(match: re.Match[str]) -> str:
        intro, name = match.group("intro"), match.group("name")
        if intro != _MAYBE or _reads_as_name(name):
            return intro + SOMEONE
        return match.group(0)

    out = _INTRODUCED.sub(introduced, text)
    return _SURNAME.sub("某", out)


def mask_flat_numbers(text: str) -> str:
    """``text`` with the flat number after a building or unit part starred (十二栋502 → 十二栋*)."""
    return _FLAT.sub("*", text)
