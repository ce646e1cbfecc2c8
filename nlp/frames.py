"""Frames that tell no danger now, whatever danger words they hold (stop 31, branch i13kk).

Each frame is a *class* of wording, read by one compiled pattern over the whole message (one
scan, cheap beside the families):

* ``lesson`` — learning or teaching safety: 想提前学一下, 教孩子背急救电话, 有没有小册子. A
  danger told in it is the lesson's example, not an event (请问老人噎住了应该怎么急救，想提前学
  一下). A strong now word (刚才, 正在, 快来) keeps the danger.
* ``what_if`` — a hypothesis about an unnamed someone, asked about: 要是有人威胁说要跳楼，我们
  该怎么劝. The subject is nobody in particular, so nobody is in danger; 要是他真跳了怎么办 (a
  named person) is not this frame.
* ``explained`` — a scare explained by a harmless cause that closes its clause: 那声巨响…问了才
  知道是隔壁工地拆楼放炮. 原来是煤气罐爆了 (a danger as the cause) and 才知道是鞭炮把柴堆点着了
  (the clause goes on past the cause) are not.
* ``play`` — a threat shouted at play: 孩子拿水枪打水仗，喊着要淹死对方.
* ``rumour`` — fake news or a rumour named as such (转那种"某地发生大爆炸"的假新闻); not
  不是谣言.
* ``acted`` — a scene acted for a camera (拍短视频要演一段抢劫的戏).

The patterns live in code rather than in ``config/severity.toml`` because they are frames
(sequences with distances), not word lists a district extends; docs/severity.md, "Stop 31".
"""

from __future__ import annotations

import re

__all__ = ["Frame", "contrast_between", "frame_at", "frame_holds", "frame_of"]

Frame = str
"""``"lesson"``, ``"what_if"``, ``"explained"``, ``"play"``, ``"rumour"``, ``"acted"`` or ``""``."""

_STOP = r"[，。！？；,.!?;\s]"
_LESSON = (
    r"提前学|想学一下|想学学|学一下|学习一下|学学怎么|"
    r"教(?:孩子|娃|小孩|学生|老人|家里人|大家)(?:背|认|学|记|练|怎么|如何|遇到)|"
    r"小册子|宣传册|宣传单|安全手册|急救手册|科普|急救知识|安全知识|自救知识|"
    r"(?:孩子|娃|小孩|学生)问我[^。！？]{0,12}(?:咋|怎么|如何)自救|"
    r"急救志愿者|应急志愿者|急救培训|急救证|"
    # a drill, planned or against a harm (要搞防踩踏演练, 组织消防演习)
    r"防[^，。！？,.!?\s]{1,4}(?:演练|演习)|(?:搞|举行|组织|进行|参加)[^，。！？,.!?\s]{0,8}(?:演练|演习)"
)
_WHAT_IF = (
    r"(?:如果|假如|假设|要是|万一|倘若)(?:有人|别人|谁|某人|哪个人|一个人)"
    r"[^。！？]{0,30}(?:怎么|咋|如何|该|应该)"
)
_CAUSES = r"放炮|爆破|放鞭炮|鞭炮|放烟花|烟花|打雷|演练|演习|拍戏|拍电影|放礼炮|礼炮"
_EXPLAINED = (
    rf"(?:才知道|原来|结果|一问)(?:是|说是)[^，。！？；,.!?;\s]{{0,10}}(?:{_CAUSES})"
    rf"[了的呢啊呀吧]*(?={_STOP}|$)"
)
# A rumour or fake news named as such (转那种…大爆炸的假新闻, 怎么举报这种谣言); 不是谣言 is not.
_RUMOUR = r"(?<!不是)(?<!并非)(?<!真不是)(?:假新闻|假消息|谣言|造谣)"
# A scene acted for a camera (拍短视频要演一段抢劫的戏).
_ACTED = r"要演|演一段|演一场|演个|的戏|拍戏|剧本|道具"
_PLAY = r"(?:水枪|水仗|雪仗|玩具枪|过家家|捉迷藏|玩游戏)[^。！？]{0,20}(?:喊着|嚷着|叫着|闹着)要"

_FRAMES = re.compile(
    rf"(?P<lesson>{_LESSON})|(?P<what_if>{_WHAT_IF})|(?P<explained>{_EXPLAINED})|(?P<play>{_PLAY})"
    rf"|(?P<rumour>{_RUMOUR})|(?P<acted>{_ACTED})"
)


# Where a frame's reach ends: a full stop, a question or an exclamation
# (要是有人落水了怎么办？我儿子刚掉河里了 — the second sentence is an event, not an example).
_SENTENCE_END = re.compile(r"[。！？!?\n]")
# A turn after the frame that tells the real thing (网上说是谣言，可我家楼下真的着火了; 教孩子背
# 急救电话的时候，他爷爷突然倒地不起了; 拍戏的时候演员真的摔下来了): a contrast opening a clause,
# or a word of something real or sudden.
_TURN = re.compile(
    r"[，,；;、\s](?:但是|但|可是|可|不过|然而|结果)|真的|真有|真是|竟然|居然|突然|忽然|没想到"
)


# A contrast that opens a clause (网上有人说是谣言，可我家楼下真的着火了), or a word of something
# real in a later clause than the story's (网上说是谣言，我家楼下真的着火了; stop 32).
_CONTRAST = re.compile(r"[，,；;、\s](?:但是|但|可是|可|不过|然而|其实)")
_REAL_CLAUSE = re.compile(r"[，,；;、\s][^，,；;、\s。！？!?]*(?:真的|真真切切|亲眼|确实)")


def contrast_between(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a turn from a story to the real thing: a clause opened
    by 但/可/不过 …, or a later clause that says it is real (真的, 亲眼, 确实)."""
    return (
        _CONTRAST.search(text, start, end) is not None
        or _REAL_CLAUSE.search(text, start, end) is not None
    )


def frame_at(text: str) -> tuple[Frame, int, int] | None:
    """The first frame of ``text`` with where it starts and ends, or None."""
    m = _FRAMES.search(text)
    if m is None or not m.lastgroup:
        return None
    return m.lastgroup, m.start(), m.end()


def frame_holds(text: str, start: int, end: int, danger_starts: list[int]) -> bool:
    """Whether the frame at ``start``–``end`` of ``text`` holds every danger at ``danger_starts``:
    each danger in the frame's own sentence, and none after a turn that follows the frame
    (:data:`_TURN`). A danger outside it is told as an event, whatever the frame says."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_END.search(text, end)
    finish = stop.start() if stop is not None else len(text)
    for at in danger_starts:
        if not begin <= at < finish:
            return False
        if at >= end and _TURN.search(text, end, at) is not None:
            return False
    return True


def frame_of(text: str) -> Frame:
    """The first frame of ``text`` that tells no danger now, or ``""``.

    >>> frame_of("火警是119对吧，我在教孩子背急救电话")
    'lesson'
    >>> frame_of("要是有人说要跳楼，邻居该怎么劝")
    'what_if'
    >>> frame_of("刚才一声巨响，一问才知道是工地放炮")
    'explained'
    >>> frame_of("一声巨响，原来是煤气罐爆了")
    ''
    """
    found = frame_at(text)
    return found[0] if found is not None else ""
