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
* ``acted`` — a scene acted for a camera (拍短视频要演一段抢劫的戏; stop 32: 剧组在拍打仗的戏),
  holding only dangers that can be staged: a harm suffered on a set (摔下来, 流血, 着火了) is real.
* ``when`` (stop 32, i13oo) — a generic question of what to do when a harm occurs: 被困电梯的
  时候应该怎么做, 中暑的话该咋处理. Nobody is named in danger; a person or 我 named before it, a
  present or a strong now word keeps the danger.
* ``media`` (stop 32, i13oo) — an item of the media asked about as such: 那条新闻是哪里的, 这首歌
  叫什么, 这是什么梗. The danger words are the item's content (a song called 救命, a streamer's
  catchphrase). Self-harm keeps its line.
* ``over`` (stop 32, i13oo) — the scene cleared, told after it: 烟已经散了, 火早就灭了. Holds only
  dangers told before it in its sentence; a harm told after it (…火灭了 有人烧伤了) is an event.

The patterns live in code rather than in ``config/severity.toml`` because they are frames
(sequences with distances), not word lists a district extends; docs/severity.md, "Stop 31".
"""

from __future__ import annotations

import re

__all__ = [
    "Frame",
    "contrast_between",
    "frame_at",
    "frame_holds",
    "frame_of",
    "frames_in",
    "own_encounter",
    "prevention_at",
]

Frame = str
"""``"lesson"``, ``"what_if"``, ``"explained"``, ``"play"``, ``"rumour"``, ``"acted"``, ``"when"``,
``"media"``, ``"over"`` or ``""``."""

_STOP = r"[，。！？；,.!?;\s]"
_PREVENT_Q = r"(?:咋|怎么|如何|怎样|该怎么|要怎么)"
_LESSON = (
    r"提前学|想学一下|想学学|学一下|学习一下|学学怎么|"
    r"教(?:孩子|娃|小孩|学生|老人|家里人|大家)(?:背|认|学|记|练|怎么|如何|遇到)|"
    r"小册子|宣传册|宣传单|安全手册|急救手册|科普|急救知识|安全知识|自救知识|"
    r"(?:孩子|娃|小孩|学生)问我[^。！？]{0,12}(?:咋|怎么|如何)自救|"
    r"急救志愿者|应急志愿者|急救培训|急救证|"
    # a drill, planned or against a harm (要搞防踩踏演练, 组织消防演习)
    r"防[^，。！？,.!?\s]{1,4}(?:演练|演习)|(?:搞|举行|组织|进行|参加)[^，。！？,.!?\s]{0,8}(?:演练|演习)|"
    # stop 32, i13oo: a safety class or a teacher's question (安全教育课上老师问…), a talk to give
    # someone (想给家里老人讲讲, 给孩子科普一下), how to prevent a harm (咋防煤气中毒, 怎么预防溺水)
    r"(?:老师|教官|讲师|考官|考题|试题|题目|试卷上)[^，。！？,.!?\s]{0,4}(?:问|考|写着|出题|是)[：:]|"
    r"给(?:家里|家人|孩子|娃|小孩|学生|老人|爸妈|父母|爷爷|奶奶|姥姥|姥爷|外婆|外公|老伴|大家|村民|居民|"
    r"邻居|同事|员工|工友)[^，。！？,.!?\s]{0,4}(?:讲讲|讲一讲|讲一下|科普|普及)|"
    + _PREVENT_Q
    + r"(?:预防|防止|防范|防)"
)
_WHAT_IF = (
    r"(?:如果|假如|假设|要是|万一|倘若)(?:有人|别人|谁|某人|哪个人|一个人)"
    r"[^。！？]{0,30}(?:怎么|咋|如何|该|应该)|"
    # stop 32, i13oo: meeting someone unnamed in a harm, asked about (遇到有人触电该咋救); not the
    # writer's own encounter (我刚遇到有人落水, 今天碰到有人…) nor one told as done (…溺水了该…)
    r"(?<!我)(?<!刚)(?<!刚才)(?<!今天)(?<!正好)(?:遇到|碰到|遇上|碰上)(?:有人|别人|谁|某人)"
    r"[^。！？了]{0,20}(?:怎么|咋|如何|该|应该)"
)
# A generic question of what to do when a harm occurs (被困电梯的时候应该怎么做, 中暑的话该咋办);
# not 被困了的时候 nor 这时候 (the writer's own moment); 被蛇咬了的话 is a condition.
_WHEN = (
    r"(?:(?<!了)的时候|的话)[，,]?(?:我们|大家|人|应该|该|要|得|需要|先){0,2}"
    r"(?:怎么|咋|如何|怎样)(?:做|办|处理|自救|逃生|救|弄|整)|"
    r"(?:(?<!了)的时候|的话)[，,]?(?:应该|该|要|得)?先?(?:做什么|干什么|干嘛|做啥|干啥)"
)
_CAUSES = (
    r"放炮|爆破|放鞭炮|鞭炮|放烟花|烟花|打雷|演练|演习|拍戏|拍电影|放礼炮|礼炮|"
    # stop 32, i13oo: play, sport and shows taken for a fight or a fall (其实是在比赛摔跤)
    r"比赛|训练|游戏|闹着玩|玩闹|打闹|嬉闹|闹着玩儿|表演|演出|排练|彩排|拍视频|拍段子|军训|体育课|做游戏"
)
_EXPLAINED = (
    rf"(?:才知道|原来|结果|一问|其实|实际上|后来发现|结果发现)(?:是|说是|就是|只是|是在)[^，。！？；,.!?;\s]{{0,10}}(?:{_CAUSES})"
    rf"(?:节目|活动|而已|罢了|着玩|玩呢|玩)?[了的呢啊呀吧]*(?={_STOP}|$)"
)
# A rumour or fake news named as such (转那种…大爆炸的假新闻, 怎么举报这种谣言); 不是谣言 is not.
_RUMOUR = r"(?<!不是)(?<!并非)(?<!真不是)(?:假新闻|假消息|谣言|造谣)"
# A scene acted for a camera (拍短视频要演一段抢劫的戏).
_ACTED = (
    r"要演|演一段|演一场|演个|的戏|拍戏|剧本|道具|"
    # stop 32, i13oo: a film crew at work (剧组在村里拍打仗的戏, 片场, 群演)
    # s1fix (review 32 S1): a film site only with a staging verb in its clause (片场今天拍枪战);
    # the bare place (剧组有人拿刀砍人, 我在影视城 有人拿刀砍人) tells where a real danger is
    r"(?:剧组|片场|群演|群众演员|影视城|影视基地)[^，。！？,.!?\s]{0,6}(?:拍|演)|"
    r"拍[^，。！？,.!?\s]{1,4}戏|拍(?:电影|电视剧|短剧|网剧)"
)
# An item of the media asked about as such (那条新闻是哪里的, 那首…是啥歌, 是什么梗).
_MEDIA = (
    r"(?:新闻|视频|歌|梗|节目|报道|热搜|段子|电视剧|电影)(?:里|上)?(?:是|说的是|讲的是|叫)(?:哪|什么|啥)|"
    r"(?:什么|啥|哪首|哪个|哪部)(?:梗|歌|节目|电影|电视剧)"
)
# The scene cleared, told after it (开了窗烟已经散了, 火早就灭了).
_OVER = (
    r"(?:已经|早就|早已|都|很快就|一会儿就|马上就)(?:散了|散掉了|散干净了|灭了|熄了|扑灭了|浇灭了|"
    r"退了|排出去了|散出去了)(?![吗没么嘛])"
)
_PLAY = r"(?:水枪|水仗|雪仗|玩具枪|过家家|捉迷藏|玩游戏)[^。！？]{0,20}(?:喊着|嚷着|叫着|闹着)要"

_FRAMES = re.compile(
    rf"(?P<lesson>{_LESSON})|(?P<what_if>{_WHAT_IF})|(?P<explained>{_EXPLAINED})|(?P<play>{_PLAY})"
    rf"|(?P<rumour>{_RUMOUR})|(?P<acted>{_ACTED})|(?P<when>{_WHEN})|(?P<media>{_MEDIA})"
    rf"|(?P<over>{_OVER})"
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


_PREVENTION = re.compile(_PREVENT_Q + r"(?:预防|防止|防范|防)")
_ENCOUNTER = re.compile(r"(?:遇到|碰到|遇上|碰上)")
_OWN_MOMENT = re.compile(r"我|现在|正在|刚|这会|此刻|眼下|目前")
_CLAUSE_START = re.compile(r"[，。！？；,.!?;\s]")


def prevention_at(text: str, start: int, end: int) -> bool:
    """Whether the frame at ``start``–``end`` is a question of how to prevent a harm (怎么防,
    如何防止): such a frame holds only the harm it names after it (咋防煤气中毒), never one told
    before it (有人拿刀砍我 怎么防, 着火了 怎么防止火势蔓延: the writer is in it; review 32 S1)."""
    return _PREVENTION.fullmatch(text, start, end) is not None


def own_encounter(text: str, start: int) -> bool:
    """Whether a what-if frame at ``start`` is an encounter (遇到有人…) told as the writer's own
    or as now: 我, 现在, 正在, 刚 … earlier in its clause (我现在遇到有人持刀抢劫; review 32 S1)."""
    if _ENCOUNTER.match(text, start) is None:
        return False
    begin = max((m.end() for m in _CLAUSE_START.finditer(text, 0, start)), default=0)
    return _OWN_MOMENT.search(text, begin, start) is not None


def frame_at(text: str) -> tuple[Frame, int, int] | None:
    """The first frame of ``text`` with where it starts and ends, or None."""
    m = _FRAMES.search(text)
    if m is None or not m.lastgroup:
        return None
    return m.lastgroup, m.start(), m.end()


def frames_in(text: str) -> list[tuple[Frame, int, int]]:
    """Every frame of ``text`` with where it starts and ends, in the order written (a message
    may hold a lesson's frame first and the question's frame of its danger later)."""
    return [(m.lastgroup, m.start(), m.end()) for m in _FRAMES.finditer(text) if m.lastgroup]


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
