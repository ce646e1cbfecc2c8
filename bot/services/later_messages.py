"""Whether a citizen's later message belongs to what is open, or is a matter of its own.

A later message joins an open draft or case only when it evidently belongs to it (trial
35): a fragment of a telling still being assembled, an answer to the question the bot
just asked, or the same matter. An unrelated new matter is a new request, and a message
that tells a matter is never taken for an address. The rules here are pure; the
handlers apply them (:mod:`handlers.follow_on`, :mod:`handlers.citizen`,
:mod:`handlers.emergency_steps`).

- **A place alone** (我们小区3号楼, :func:`only_a_place`) tells where, not what: the
  citizen is asked what the problem is, not offered a filing button (D12). The words
  are kept as the start of a telling (:func:`begun_in_parts`).
- **A telling in parts**: a draft begun with a place or another fragment (no office sure
  of it, a few words) takes the short messages that follow, whatever office each alone
  would go to (楼道里堆满了纸箱杂物 / 消防通道都堵死了 / 物业不管 after 我们小区3号楼), whether
  or not the bot answered between them (D12).
- **A whole matter, then another** (我爸的低保申请一直没批下来, then 邻居装修天天晚上十一点
  还在打电钻): a draft begun as a matter an office is sure of is complete; a message that
  alone is surely another office's matter, told with its own subject words, is a new
  request, the first draft kept (:func:`another_whole_matter`, D11).
- **不是这个意思** (:func:`misread`) says the proposal misread the citizen: a correction,
  answered by the office picker, never added to the description (D10).
- **A scene is no address** (我们楼顶有个人, 有人在路边焚烧秸秆，烟很呛:
  :func:`tells_a_scene`): at the emergency's details step such a text is not stored as
  the place (unless it opens with one: 金桥小区5栋，楼上还有人没下来, review 35b F2); it
  is read as a message of its own (D2, D6).
- **The danger still going on** (还在烧, 人还没救上来, 火一直灭不掉: :func:`danger_goes_on`)
  added to an open critical case is 【紧急补充】 with the line, not a routine 补充
  (review 35b F4).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.normalize import to_simplified

__all__ = [
    "FRAGMENT_CHARS",
    "another_whole_matter",
    "begun_in_parts",
    "danger_goes_on",
    "misread",
    "only_a_place",
    "tells_a_scene",
]

#: The longest first message of a draft that is still a fragment of a telling (a place,
#: 我们小区3号楼; a subject, 就是我们村那条路), not a description in full.
FRAGMENT_CHARS = 12
#: The fewest keywords of a message that tells a matter with its own subject words
#: (装修、电钻、邻居 …), not a detail of the draft.
MATTER_KEYWORDS = 2

#: A place and nothing else: a name ending in what places end in, no words of an event.
_PLACE_ONLY_RE = re.compile(
    r"^(?:我们|我家|我|就是|就在|是|在)?[^\s，。！？,.!?]{0,16}?"
    r"(?:小区|社区|街道|居民区|园区|新村|村|镇|乡|路|街|巷|大道|广场|公园|市场|商场|学校|医院|"
    r"车站|大厦|\d+号楼?|\d+栋|\d+幢|\d+单元|\d+室|[东南西北正侧后]门|门口|楼下|楼上)+$"
)
#: … nor a thing being talked of (就是我们村那条路: the road is the subject, not an address).
_EVENT_CHARS_RE = re.compile(r"[有被了着的把让要打吵闹砍烧堵偷抢死伤坏漏臭脏乱那这]")


def only_a_place(text: str) -> bool:
    """Whether ``text`` says only where (我们小区3号楼, 和平社区8号楼502室), not what.

    >>> only_a_place("我们小区3号楼"), only_a_place("在阳光社区5栋")
    (True, True)
    >>> only_a_place("楼道里堆满了纸箱杂物"), only_a_place("就是我们村那条路")
    (False, False)
    """
    bare = to_simplified(text).strip().strip("。.!！")
    return bool(_PLACE_ONLY_RE.match(bare)) and not _EVENT_CHARS_RE.search(bare)


def begun_in_parts(first_text: str, *, sure: bool) -> bool:
    """Whether a draft whose first message was ``first_text`` (``sure``: an office is
    sure of it alone) is being told in parts: a place alone, or a few words no office
    is sure of (就是我们村那条路)."""
    return only_a_place(first_text) or (not sure and len(first_text.strip()) <= FRAGMENT_CHARS)


def another_whole_matter(
    *, draft_whole: bool, draft_bureau: str, bureau: str, sure: bool, keywords: Sequence[str]
) -> bool:
    """Whether a message that alone goes to ``bureau`` (``sure``; ``keywords``: its
    subject words) is a matter of its own beside a draft begun as a whole matter
    (``draft_whole``) of ``draft_bureau``: surely another office's, told with its own
    subject words (邻居装修…打电钻 after 低保申请一直没批下来, D11). A detail of a draft told
    in parts (下雨天孩子上学都没法走 after 就是我们村那条路 / 坑坑洼洼的好几年了) is not."""
    if not draft_whole or not sure or not draft_bureau or draft_bureau == "unknown":
        return False
    return bureau not in (draft_bureau, "unknown") and len(keywords) >= MATTER_KEYWORDS


#: The citizen says the proposal misread them (不是这个意思, 你理解错了, 我不是说这个).
_MISREAD_RE = re.compile(
    r"^(?:不是|不)(?:这个|那个|这|那)?(?:意思|样)|(?:理解|听|看)错了|误会了|搞错了|"
    r"^我不是(?:说|这个意思|要说)|^我说的不是"
)
#: The most characters of such a correction (a longer text tells more: it is read).
MISREAD_CHARS = 8


def misread(text: str) -> bool:
    """Whether ``text`` only says the proposal misread the citizen (D10).

    >>> misread("不是这个意思"), misread("你理解错了"), misread("不是这个意思，是我家漏水")
    (True, True, False)
    """
    bare = to_simplified(text).strip().strip("。.!！~～，, ")
    return len(bare) <= MISREAD_CHARS and _MISREAD_RE.search(bare) is not None


#: Words of something happening (a person there, someone doing): a scene, not an address.
_SCENE_RE = re.compile(
    r"有(?:一|两|几)?(?:个|名|位|群|些)?(?:人|小孩|孩子|老人|男的|女的|男子|女子)|有人|"
    r"坐在|站在|躺在|倒在|爬到|焚烧|在烧|烧垃圾|冒烟|烟很|着火|打架|砍人|跳下|跳楼|掉下|掉进|掉水|"
    r"晕倒|不想活"
)


def tells_a_scene(text: str) -> bool:
    """Whether ``text`` tells what is happening (我们楼顶有个人, 有人在路边焚烧秸秆，烟很呛,
    坐在边上), not where: never stored as an emergency's place (D2, D6).

    >>> tells_a_scene("我们楼顶有个人"), tells_a_scene("西湖街道金桥小区5栋")
    (True, False)
    """
    return _SCENE_RE.search(to_simplified(text)) is not None


#: Words of a danger still going on (还在烧, 人还没救上来, 火一直灭不掉); not 消防车还没来,
#: a question about help (answered as such).
_GOING_ON_RE = re.compile(
    r"还在(?:烧|着|冒烟|冒火|打|砍|追|流血|水里|里面)|还(?:被)?困在|"
    r"还没(?:救|灭|扑灭|出来|逃出来|找到|捞上来|上来|醒)|"
    r"(?:灭|扑|救)不(?:掉|灭|了|下来|上来)|越烧越|火越来越大|烟越来越大|一直(?:在烧|烧|冒烟)"
)


def danger_goes_on(text: str) -> bool:
    """Whether ``text`` says the danger already reported is still going on (review 35b
    F4): on an open critical case it is 【紧急补充】 with the line, not a routine 补充.

    >>> danger_goes_on("还在烧"), danger_goes_on("人还没救上来"), danger_goes_on("火一直灭不掉")
    (True, True, True)
    >>> danger_goes_on("火已经被扑灭了"), danger_goes_on("消防车怎么还没来")
    (False, False)
    """
    return _GOING_ON_RE.search(to_simplified(text)) is not None
