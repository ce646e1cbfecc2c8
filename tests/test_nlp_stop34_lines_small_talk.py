"""Stop 34 (branch tri34b): emergency lines and small talk, by class of wording.

Stop 33's sets z, aa and ab (released as tuning data at stop 34) showed two dangers without a
line, eleven false alarms and fifteen non-requests misread. Each is answered by a class of
wording in ``config/severity.toml`` (marked "stop 34, tri34b"), ``nlp/look_alikes.py`` (a figure of
the body, a thing named) and the intent lists (``nlp/intent_polite.py``, ``nlp/intent_vague.py``,
``nlp/intent_words.py``), and tested here with sentences of our own, never a set's. Safety is
asymmetric: every class of look-alike has its real danger told beside it, which keeps its line.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.intent import classify_intent


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# 1. Someone found hanging or just cut down from a rope: the police and an ambulance.
@pytest.mark.parametrize(
    "text",
    [
        "我爸把自己吊在院子的树上 刚解下来 还有呼吸",
        "刚把他从绳子上解下来 已经没气了",
        "发现奶奶吊在房梁上 快来人",
        "隔壁大爷吊在仓库横梁上 我们抱下来的时候脸都紫了",
    ],
)
def test_someone_found_hanging_gets_police_and_ambulance(text: str) -> None:
    assert {"110", "120"} <= set(_line(text))


@pytest.mark.parametrize(
    "text",
    [
        "他把腊肉吊在梁上晾着",
        "工人吊在外墙上刷漆 这样安全吗",
        "轮胎放下来还有气吗",
        "孩子吊在单杠上不肯下来",
    ],
)
def test_things_hung_or_let_down_get_no_line(text: str) -> None:
    assert _line(text) == ()


# 2. A person carried off by waves, a flood or a current: water rescue.
@pytest.mark.parametrize(
    "text",
    [
        "河边玩水 我弟弟被河水冲走了",
        "一个大浪把游客卷下去了",
        "赶海的老人让潮水卷走了 快来人",
        "山洪下来 有个学生被急流冲跑了",
    ],
)
def test_someone_carried_off_by_water_gets_the_rescue(text: str) -> None:
    assert {"119", "110", "120"} <= set(_line(text))


def test_a_thing_carried_off_by_waves_gets_no_line() -> None:
    assert _line("孩子的拖鞋被浪卷走了 哭了半天") == ()


# 3. A figure of the body: a mouth or a throat "on fire" from spice.
@pytest.mark.parametrize(
    "text", ["吃了一口火锅 嗓子都快冒烟了", "麻得我舌头着火了哈", "这芥末冲得我嘴里像着火一样"]
)
def test_a_body_on_fire_from_spice_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [("他头发着火了 快来人", "119"), ("厨房着火了 嘴巴都说不出话", "119")],
)
def test_a_real_fire_beside_the_body_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 4. Stories, essays and legends, a deed told with 过: what happened once.
@pytest.mark.parametrize(
    "text",
    [
        "女儿的作文写外公年轻时跳进河里救过落水的小孩",
        "小时候听老人讲 那口井里淹死过人",
        "我们村有个传说 后山那个崖上死过人 真的假的",
    ],
)
def test_a_story_or_a_legend_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("孩子在写作文 隔壁现在着火了 快来", "119"),
        ("他以前救过落水的人 现在他自己掉河里了", "119"),
    ],
)
def test_a_danger_now_beside_a_story_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 5. Screens: a film's scene, a chase in a game, a robbery acted for a short video.
@pytest.mark.parametrize(
    "text",
    [
        "刚才看的那部战争片爆炸场面真壮观",
        "在和平精英里被对面追着砍 太菜了",
        "社团要拍短视频 演一个打劫的情节 需要注意什么",
    ],
)
def test_a_screen_scene_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("看电影的时候 外面突然爆炸了 有人受伤", "120"),
        ("拍短视频的时候 旁边真的有人在抢劫", "110"),
        ("刚才电影院着火了 人都往外跑", "119"),
        ("在玩吃鸡 楼下有人拿刀追着砍人", "110"),
        ("打王者的时候被人追着砍 现在手上在流血", "120"),
    ],
)
def test_a_real_danger_beside_a_screen_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 6. A thing named by a danger word: a dish, a hoist, a rescuer thanked.
@pytest.mark.parametrize(
    "text",
    [
        "夜市新开了一家“救命鸡排” 排队的人好多",
        "工地上吊的那种吊篮 操作要持证吗",
        "谢谢你们 你们是我的救命恩人",
        "救命神器推荐一下",
    ],
)
def test_a_thing_named_by_a_danger_word_gets_no_line(text: str) -> None:
    assert _line(text) == ()


def test_a_fire_named_before_a_thing_keeps_the_line() -> None:
    assert "119" in _line("着火的车里还有人 快来")


# 7. A cook's or a spouse's figure of killing, a cry about a baby that will not sleep.
@pytest.mark.parametrize(
    "text",
    [
        "我妈说我煮的汤会毒死人 哼",
        "他说我做的饭难吃死人",
        "救命啊 我家孩子哄不睡 愁死了",
        "救命 这个蛋糕也太好吃了吧",
    ],
)
def test_a_figure_or_an_exclamation_gets_no_line(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("救命啊 宝宝一直不睡 嘴唇发紫 喘不上气", "120"),
        ("这水能毒死人 我家孩子喝了已经昏迷", "120"),
    ],
)
def test_a_real_harm_beside_a_figure_keeps_the_line(text: str, number: str) -> None:
    assert number in _line(text)


# 8. Charcoal burnt for heat, asked about: a safety question; the fumes overcoming someone now
# are a poisoning.
def test_heating_with_charcoal_asked_about_gets_no_line() -> None:
    assert _line("冬天屋里烧炭取暖 要开窗吗") == ()


def test_someone_overcome_by_charcoal_fumes_gets_an_ambulance() -> None:
    assert "120" in _line("屋里烧炭取暖 老人叫不醒了")


# 9. Small talk: a greeting with a self-introduction, thanks by sound or with money received,
# a joke of rescue; vague openings. Real requests, however short, stay requests.
@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("嗨 我是幸福小区的业主", "greeting"),
        ("您好 我是下河村三组的", "greeting"),
        ("hello 刚进群", "greeting"),
        ("Nice to meet you!", "greeting"),
        ("大家好 先打个招呼", "greeting"),
        ("晚安 睡前打个招呼", "greeting"),
        ("3Q", "thanks"),
        ("谢谢书记 补贴到账了", "thanks"),
        ("谢谢网格员 钱已经到了", "thanks"),
        ("多谢 救了我老命🙏", "thanks"),
        ("谢谢物业小哥哥", "thanks"),
        ("麻烦帮帮忙", "vague"),
        ("还是那件事", "vague"),
        ("这个咋申请", "vague"),
    ],
)
def test_small_talk_and_vague_openings(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "你好 我是下河村的 我们组的水管爆了",
        "我是5栋的 电梯又坏了",
        "谢谢 钱还没到",
        "谢谢物业 钱到了吗",
        "低保怎么申请",
        "医保怎么办理",
        "麻烦帮个忙 路灯坏了好几天了",
        "还是那个事情 楼上漏水",
        "hello 刚进群 想问下物业费怎么交",
        "先打个招呼 我家门口的垃圾好几天没人收",
        "nice to meet you, my water pipe is broken",
    ],
)
def test_requests_beside_small_talk_stay_requests(text: str) -> None:
    assert classify_intent(text) == "request"
