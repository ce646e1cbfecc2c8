"""Stop 31's triage sets s, t and u: misses answered by classes of wording, and guards.

* Sets t and u (``blind13t_*``, ``blind13u_*``, issue 13) were written blind this stop by
  helpers who never saw the code; set s is stop 30's unseen set, released. Scored on main
  2369c81 before any change (``/tmp`` scorer of the ``_rows`` kind used below):

  - s: warnings critical 30/30, exact 0.85, under 2, over 13; line 64/65, right number 64,
    false alarms 4/65; small talk 79/80, vague 24/25, requests mistaken 0/100.
  - t: warnings critical 29/30 (none below high), exact 0.93, under 5, over 2; line 64/65,
    right number 64, false alarms 5/65; small talk 75/80, vague 23/25, requests mistaken 0.
  - u: warnings 30/30, exact 0.93, under 0, over 7; line 63/65, right number 62, false alarms
    6/65; small talk 76/80, vague 24/25, requests mistaken 1.

* Branch i13kk read only s's and t's misses first and answered them by classes of wording
  (nlp.frames: a safety lesson, a what-if about an unnamed someone, a scare explained; a laugh
  or a game beside a bare cry for help; an idiom of calls; a poison beside a person lying; a
  building set alight on purpose; small talk checking in or testing). **Held-out estimate**:
  set u scored once, before its misses were read: warnings 30/30, exact 0.93, under 0, over 7;
  line 63/65, right number 62, **false alarms 5/65** (from 6); small talk 76/80 (unchanged),
  vague 24/25, requests mistaken 1. The classes carried little to a new writer: u's misses were
  other wordings (a drill, a rumour named, a scene acted, a fire remembered, a volunteer's
  question).
* Then u's misses were read and answered the same way. In-sample after i13kk (all three sets
  are tuning data now; no estimate): s warnings 30/30, exact 0.87, under 0, over 13, line
  65/65, right 65, false alarms 0/65, small talk 80/80, vague 25/25, mistaken 0; t warnings
  30/30, exact 0.97, under 1, over 2, line 65/65, right 65, false alarms 0/65, small talk
  80/80, vague 25/25, mistaken 0; u warnings 30/30, exact 0.92, under 0, over 8 (one more
  over-rated by the retrained model), line 65/65, right 65, false alarms 0/65, small talk
  80/80, vague 25/25, mistaken 0.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.frames import frame_of
from nlp.intent import classify_intent
from tests.test_nlp_stop25_sets import RANK, assert_lines_and_small_talk_hold, assert_warnings_hold


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# A safety lesson: learning or teaching what to do names no danger now.
@pytest.mark.parametrize(
    "text",
    [
        "想学一下心肺复苏 遇到有人溺水怎么办",
        "教孩子背火警电话119",
        "社区发的防溺水小册子在哪领",
        "学校组织了一场地震演练 孩子吓哭了",
        "想当应急志愿者 要先参加急救培训吗",
    ],
)
def test_a_safety_lesson_gets_no_line(text: str) -> None:
    assert frame_of(text) == "lesson"
    assert _line(text) == ()


# ... but a danger told now beside a lesson keeps its line.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("刚才教孩子游泳 孩子呛水沉下去了", "119"),
        ("演练的时候一个学生从台子上摔下来 流了很多血", "120"),
        ("老人噎住了喘不上气 怎么急救", "120"),
    ],
)
def test_a_danger_beside_a_lesson_keeps_its_line(text: str, number: str) -> None:
    assert number in _line(text)


# What if someone unnamed …: a question; a named person in danger now is not.
@pytest.mark.parametrize(
    "text", ["要是有人在电梯里晕倒了 我们该怎么做", "万一有人说要跳楼 邻居应该怎么劝"]
)
def test_what_if_someone_unnamed_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    "text", ["邻居说要跳楼 现在站在窗台上 我们该怎么劝", "要是他真跳了怎么办 他现在就站在楼顶边上"]
)
def test_a_named_person_at_the_edge_keeps_the_line(text: str) -> None:
    assert "120" in _line(text)
    assert classify(text).severity == "critical"


# A scare explained by a harmless cause ending its clause; a danger as the cause is a danger.
@pytest.mark.parametrize("text", ["一声巨响 原来是隔壁放鞭炮", "听到爆炸声 才知道是工地在爆破"])
def test_a_scare_explained_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    "text", ["原来是煤气罐爆了 楼下全是烟", "巨响之后一问才知道是鞭炮把柴堆点着了 火很大"]
)
def test_a_danger_as_the_cause_keeps_the_line(text: str) -> None:
    assert "119" in _line(text)


# A rumour named as such, a scene acted, a threat at play; a rumour denied is vouched for.
@pytest.mark.parametrize(
    "text",
    [
        "群里那个说水库要决堤的假新闻 怎么举报",
        "拍电影要演一段跳楼的戏 需要报备吗",
        "剧本里有个角色上吊 这种情节能过审吗",
        "孩子们打雪仗 喊着要砸死对方",
    ],
)
def test_a_rumour_a_scene_or_play_gets_no_line(text: str) -> None:
    assert _line(text) == ()


def test_a_rumour_denied_is_a_fire_vouched_for() -> None:
    assert "119" in _line("不是谣言 对面仓库真着火了 烟很大")


def test_play_does_not_hide_a_child_in_the_water() -> None:
    assert "119" in _line("孩子玩水枪掉进河里了")


# A bare cry for help beside a laugh or a game is an exclamation; beside a fire it is a call.
@pytest.mark.parametrize("text", ["快来人啊 我家猫生了三只小猫哈哈", "救命 王者又输了 队友太坑"])
def test_a_cry_beside_a_laugh_or_a_game_gets_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


def test_a_cry_with_a_fire_keeps_the_line_whatever_laughs() -> None:
    assert "119" in _line("快来人啊 我家着火了 哈哈不是开玩笑")


# Idioms and look-alikes of the new words.
@pytest.mark.parametrize(
    "text",
    [
        "我电话都快被打爆了 全是催收的",
        "领导推我当组长",
        "房东推我们的合同 不让退押金",
        "2015年那场洪水我还记得 现在堤坝修好了吗",
        "刀具店门口的招牌快掉了 能不能让他们修一下",
        "有人故意点了一桌菜不付钱",
        "家里闹老鼠 买了一包耗子药",
        "我爸的后事办完了 谢谢大家",
        "山上在烧荒 能管管吗",
    ],
)
def test_idioms_and_look_alikes_get_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity != "critical"


# Dangers told with the new classes of wording.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("我爸倒在地上叫不醒 旁边有个空药瓶", "120"),
        ("奶奶躺在地上 身边一瓶敌敌畏倒了", "120"),
        ("有人故意把我家草垛点了 火烧起来了", "119"),
        ("有人把我的电动车给烧了", "110"),
        ("他在办公室 怀里揣着一瓶农药 说不解决就喝", "120"),
        ("对面楼在烧 浓烟滚滚", "119"),
        ("火一层一层往上窜 楼上还有人", "119"),
        ("楼道里几个人推我 还打了我一拳", "110"),
        ("广告牌快掉下来了 下面站着好多人", "119"),
    ],
)
def test_dangers_of_the_new_classes_get_their_number(text: str, number: str) -> None:
    assert number in _line(text)
    assert RANK[classify(text).severity] >= RANK["high"]


def test_last_arrangements_made_are_self_harm() -> None:
    assert classify("我爸把后事都交代好了，说活够了").severity == "critical"


# Warnings: a group going to block a motorway or a works, a dare, a threat to make people pay, a
# rumour told with 传说 and people too frightened to eat; look-alikes stay lower.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("几十个工人商量好了明天一早去堵高速收费站", "high"),
        ("明天全村的人都去工地，不让他们开挖", "high"),
        ("他在窗口拍桌子，说你再敢举报试试", "medium"),
        ("他在群里说一定要让这些领导付出代价", "medium"),
        ("镇上传说明年要把老街全拆了，老人们吓得睡不着", "medium"),
        ("这个菜你再尝尝试试", "low"),
        ("违法者将付出代价", "low"),
        ("全村都不让养狗了", "low"),
        ("高速堵了好几公里", "low"),
        ("这是一个古老的传说", "low"),
    ],
)
def test_warnings_of_stop_31_classes(text: str, level: str) -> None:
    assert classify(text).severity == level


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("小同志在吗", "greeting"),
        ("老乡们好", "greeting"),
        ("有人的话回个话", "greeting"),
        ("看能不能发出去", "greeting"),
        ("能看到我发的消息吗", "greeting"),
        ("新人报到", "greeting"),
        ("您好，我是五号楼的老李", "greeting"),
        ("我代表全家谢谢你们", "thanks"),
        ("感谢社区同志忙前忙后", "thanks"),
        ("我想申请个东西", "vague"),
        ("能不能给我出个主意", "vague"),
        ("想找人聊聊我的情况", "vague"),
        # ... and the same openings with a matter named stay requests.
        ("小同志在吗 我家水管爆了", "request"),
        ("老乡们好 村口路灯坏了", "request"),
        ("测试一下 看看你们能不能查社保", "request"),
        ("您好，我是三号楼的老王，楼道灯坏了", "request"),
        ("在的话吱一声 我家停电了", "request"),
        ("谢谢你们 上次管子修好了 现在厨房也漏了", "request"),
        ("能不能给我出个主意 儿子欠了网贷", "request"),
        ("我想申请低保", "request"),
    ],
)
def test_small_talk_and_vague_openings_of_stop_31(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


def test_set_s_warnings_stay_where_they_were() -> None:
    """Unseen on main 2369c81 (released): critical 30/30, exact 0.85, under 2 (a whole
    village's men going to stop a works tomorrow; an official's 要让这些人付出代价), over 13.
    In-sample since i13kk: exact 0.87, under 0, over 13."""
    assert_warnings_hold("s", exact=87, under=0, over=13)


def test_set_t_warnings_stay_where_they_were_tuned() -> None:
    """Unseen on main 2369c81: critical 29/30 (a petitioner carrying rat poison, her last
    arrangements made, rated high), exact 0.93, under 5, over 2. In-sample since i13kk:
    critical 30/30, exact 0.97, under 1 (a drunk's threat to 炸了 the village office, told as
    气话, low where medium was wanted), over 2."""
    assert_warnings_hold("t", exact=97, under=1, over=2)


def test_set_u_warnings_stay_where_they_were() -> None:
    """Unseen on main 2369c81 and held out by i13kk: critical 30/30, exact 0.93, under 0,
    over 7. After the danger model's retraining (``minqing triage train``, the look-alike masks
    moved): exact 0.92, over 8 (a website that will not load, 有人说…登不上去, made medium by
    the model's medium head)."""
    assert_warnings_hold("u", exact=92, under=0, over=8)


@pytest.mark.parametrize("tag", ["s", "t", "u"])
def test_lines_and_small_talk_stay_where_they_were_tuned(tag: str) -> None:
    """Lines, numbers, look-alikes, small talk and vague openings of s, t and u as reached
    in-sample by i13kk: 65/65 with the right number, no false alarm, 80/80, 25/25."""
    assert_lines_and_small_talk_hold(tag)
