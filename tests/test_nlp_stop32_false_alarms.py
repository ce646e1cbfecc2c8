"""Stop 32 (branch i13oo): harmless look-alikes of danger by class, and dangers told beside them.

Sets w and x (``blind13w_*``, ``blind13x_*``) showed 17 false alarms in classes the frames of
stop 31 did not hold. Each class is answered by a rule (``nlp/frames.py``, ``nlp/frame_scope.py``,
``nlp/named.py``, ``config/severity.toml`` marked "stop 32, i13oo") and tested here with wordings
of our own, never a set's sentence. Safety is asymmetric: for every class a danger told now
after, beside or inside the look-alike's frame keeps its emergency line (the second test of each
pair); where the two read alike the rule leaves the line (a false alarm is cheaper).
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# 1. An item of the media asked about as such: its content is no event.
@pytest.mark.parametrize(
    "text",
    [
        "昨天新闻里那个化工厂爆炸是哪个省的",
        "快手上老放的那首跳楼机是什么歌",
        "那个喊着火啦着火啦的梗是什么",
        "想问下短视频里那个溺水的报道是哪里的",
    ],
)
def test_a_media_item_asked_about_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("那条新闻是哪里的？我们村现在也着火了", "119"),
        ("抖音上那首歌叫什么来着 隔壁老王正在拿刀砍人", "110"),
        ("这首歌叫什么 我同学刚刚喝了农药", "120"),
    ],
)
def test_a_danger_told_after_a_media_question_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 2. Idioms of degree and of laughing: 爆炸 after 到 / 得 or of a state of mind, 笑不活了.
@pytest.mark.parametrize(
    "text",
    ["这周加班忙到爆炸 脑子都转不动了", "作业多得要爆炸", "心态炸了 想请假", "看个段子笑不活了"],
)
def test_an_idiom_of_degree_or_laughter_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("加班忙到爆炸 结果车间真的爆炸了 有人受伤", "120"),
        ("他笑着说不活了 然后就往楼顶走", "110"),
    ],
)
def test_a_danger_beside_an_idiom_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 3. The scene cleared, told after it: smoke gone, water receded.
@pytest.mark.parametrize(
    "text", ["锅烧干了冒了一屋子烟 开窗很快就散了", "地下室进的水已经退了 墙皮泡软了找谁修"]
)
def test_a_scene_cleared_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("厨房着火了 火已经灭了 但我妈手被烫伤了起了大水泡", "120"),
        ("火已经灭了 有人被烧伤了 在地上喊疼", "120"),
        ("楼下着火了 火已经灭了吗 我们还在屋里出不去", "119"),
        ("人还困在电梯里 烟已经散了", "119"),
    ],
)
def test_a_harm_beside_a_scene_cleared_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 4. A film crew at work or a scene to be shot; a harm suffered on the set is real.
@pytest.mark.parametrize(
    "text",
    [
        "剧组在河边拍落水的戏 能不能借用一下码头",
        "片场今天拍枪战 整条街都是枪声",
        "群演说今天要拍砍人的镜头",
    ],
)
def test_a_scene_shot_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("剧组拍戏的时候一个演员从高台摔下来了 流了好多血", "120"),
        ("剧组在拍戏 旁边仓库真的着火了", "119"),
    ],
)
def test_a_harm_on_a_film_set_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# A harm told after a lesson's or a scene's own time (…的时候, 期间) happened during it: an event
# (these had no line on main f3a376a).
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("组织消防演习期间 仓库冒烟起火了", "119"),
        ("学一下游泳的时候 孩子呛水沉下去了", "119"),
        ("教孩子背急救电话的时候 他爷爷倒地不起了", "120"),
    ],
)
def test_a_harm_during_a_lesson_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 5. Safety questions: what to do when (the harm in the question's own clause, nobody named),
# meeting someone unnamed, a quiz question, a talk to give, how to prevent, a harm one fears
# causing, a what-if asked the northern way (咋整).
@pytest.mark.parametrize(
    "text",
    [
        "中暑的时候应该怎么处理",
        "被蛇咬了的话该咋办 先挤毒还是先绑",
        "遇到有人触电该咋救",
        "碰到有人晕倒应该怎么做",
        "考题是：发现有人煤气中毒第一步做什么",
        "想给爸妈讲讲怎么防诈骗和防火",
        "怎么预防一氧化碳中毒",
        "如何防止孩子溺水",
        "楼道里堆纸箱 怕引起火灾 能不能让物业清一下",
        "如果家里煤气罐着火了该咋整",
    ],
)
def test_a_safety_question_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("我儿子被困电梯了 被困的时候应该怎么做", "119"),
        ("我爸突然晕倒了 晕倒的时候该怎么办", "120"),
        ("我现在被困在电梯里 被困的时候应该怎么做", "119"),
        ("楼下着火了 着火的话应该先做什么", "119"),
        ("刚才在河边遇到有人落水 该咋救", "119"),
        ("我遇到有人落水 该怎么救", "119"),
        ("上课时老师问：谁知道火警电话？结果教室后面真的着火了", "119"),
        ("楼道堆纸箱 怕引起火灾 现在三楼已经着火了", "119"),
        ("孩子高烧抽搐的时候该怎么办 现在他嘴唇发紫", "120"),
    ],
)
def test_a_danger_told_beside_a_safety_question_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 6. A scare explained by play, sport or a show.
@pytest.mark.parametrize(
    "text", ["听到楼下有人喊打人了 其实是在排练节目", "操场上两个孩子扭打在一起 原来是在做游戏"]
)
def test_a_scare_explained_by_play_gets_no_line(text: str) -> None:
    assert _line(text) == ()


def test_a_fall_after_the_play_explained_keeps_the_line() -> None:
    assert "120" in _line("其实是在比赛 但是有个孩子摔下来头破血流")


# 7. A name given with 叫 after a shop, a dish or a song; 叫 as a passive names nobody.
@pytest.mark.parametrize(
    "text", ["街口那家烧烤店叫火爆烤串 味道一般", "楼下奶茶店的名字叫救命水 挺好喝"]
)
def test_a_name_given_with_jiao_gets_no_line(text: str) -> None:
    assert _line(text) == ()


def test_a_shop_robbed_told_with_jiao_keeps_the_line() -> None:
    assert "110" in _line("超市叫人抢了 劫匪还在里面")


# 8. A laugh beside a bare cry: no line from the model either; a fire beside a laugh keeps it.
def test_a_cry_in_a_haunted_house_with_a_laugh_gets_no_line() -> None:
    assert _line("密室逃脱里突然灯灭了 我吓得大喊救命哈哈哈") == ()


def test_a_fire_beside_a_laugh_and_a_cry_keeps_the_line() -> None:
    assert "119" in _line("哈哈哈 救命 楼下着火了")


# The frames touch only the line: a danger told now beside them is still rated critical.
@pytest.mark.parametrize(
    "text",
    ["剧组拍戏的时候一个演员从高台摔下来了 流了好多血", "火已经灭了 有人被烧伤了 在地上喊疼"],
)
def test_a_danger_beside_a_frame_is_still_critical(text: str) -> None:
    assert classify(text).severity == "critical"


# Small talk and vague openings (nlp/intent*.py): 俺 read as 我, a polite ask before a presence
# check, net praise, a grievance or a thing with nothing named; a matter named stays a request.
@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("俺到了，你好", "greeting"),
        ("你好 请问今天有人上班吗", "greeting"),
        ("谢谢 办事效率绝绝子", "thanks"),
        ("处理得真快 yyds", "thanks"),
        ("想打听点事儿", "vague"),
        ("我想伸冤", "vague"),
        ("俺想讨个说法", "vague"),
        ("俺家的低保卡丢了 去哪补办", "request"),
        ("请问有人值班吗 楼道灯坏了", "request"),
        ("谢谢 但是路灯又坏了", "request"),
        ("我要告状 村主任把扶贫款扣下了", "request"),
        ("想买点东西 哪里有农资店", "request"),
    ],
)
def test_small_talk_and_vague_openings_of_stop_32(text: str, intent: str) -> None:
    assert classify_intent(text) == intent
