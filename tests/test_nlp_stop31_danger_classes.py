"""Trial 31 #5 and #6: classes of danger-now wording the emergency line got wrong (branch i13ll).

Each class is tested with wordings of our own, and with look-alikes that share its words and
must stay quiet: a jump threat from a height to press a demand (the police's, with 119 for the
rescue), a passive wish to die told as sleep never ended (crisis care, the self-harm family), an
explosion of a fuel or a plant (119 besides 110 and 120), a toxic leak with people already ill,
a bare 救救我 (the line's general form, as 救命) and the fire emoji beside a place.
"""

from __future__ import annotations

import pytest

from bot.services.triage import danger_owner_bureau, is_self_harm, triage
from nlp.emergency import detect, emergency_line


@pytest.mark.parametrize(
    "text",
    [
        "小区对面工地的吊车上站着个农民工 喊着不结清工钱就跳下来",
        "一个讨薪的大哥坐在大桥栏杆上扬言不还钱就往下跳",
        "楼顶有个人 说不解决拆迁的事就跳楼",
        "脚手架最上面有个工人 威胁老板不发工资就跳下去",
    ],
)
def test_a_jump_threat_from_a_height_is_the_polices_with_a_rescue(text: str) -> None:
    found = detect(text)
    assert found is not None
    assert found.kind == "self_harm"
    assert {"110", "119", "120"} <= set(found.services)
    assert danger_owner_bureau(text) == "police"


@pytest.mark.parametrize(
    "text",
    [
        "塔吊司机招聘 月薪一万二 要求持证上岗",
        "老板说再不涨工资我就跳槽",
        "楼顶的水箱漏水了 物业说下周来修",
        "塔吊上的师傅说今天风太大 不干了",
        "阳台上的花盆被风吹下去了 差点砸到人",
    ],
)
def test_a_height_or_a_job_with_no_threat_to_jump_gets_no_line(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "真想一觉睡过去再也不醒",
        "每天都好累 好想闭上眼就不要醒来",
        "有时候想 要是睡着了永远不要醒来就好了",
    ],
)
def test_a_passive_wish_to_die_gets_the_crisis_care(text: str) -> None:
    found = detect(text)
    assert found is not None and found.kind == "self_harm"
    assert is_self_harm(text)  # the writer's own: crisis care (12356), masked copies
    assert danger_owner_bureau(text) == "police"


@pytest.mark.parametrize(
    "text",
    [
        "周末想睡到自然醒 别叫醒我",
        "宝宝刚睡着 大家说话小声点",
        "昨晚一觉睡到天亮 早上差点没醒来赶上车",
    ],
)
def test_sleep_talk_is_no_wish_to_die(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "家里天然气爆炸了 窗户都震没了",
        "我们村的鞭炮厂刚才炸了",
        "楼下饭馆燃气爆炸 好几个人受伤",
        "隔壁厂房发生爆炸 冒黑烟",
    ],
)
def test_an_explosion_of_a_fuel_or_a_plant_calls_the_fire_brigade_too(text: str) -> None:
    found = detect(text)
    assert found is not None
    assert found.services[0] == "119"
    assert {"110", "120"} <= set(found.services)


@pytest.mark.parametrize(
    "text",
    [
        "今天有个爆炸新闻 那个明星离婚了",
        "新闻说外地一个化工厂爆炸了",
        "我们厂里一听要降工资 大家都炸了锅",
        "厂门口新开的炸鸡店生意很好",
        "这个燃气灶用久了会不会爆炸",
    ],
)
def test_explosion_look_alikes_get_no_line(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "农药厂氯气泄漏了 路过的人都在咳嗽",
        "一辆罐车翻了 液氨漏出来了 附近好几个人喘不上气",
        "车间里有毒气体泄漏 工人头晕想吐",
    ],
)
def test_a_toxic_leak_with_people_ill_gets_119_and_120(text: str) -> None:
    found = detect(text)
    assert found is not None
    assert {"119", "120"} <= set(found.services)
    assert danger_owner_bureau(text) == "police"


@pytest.mark.parametrize(
    "text",
    [
        "化学课上老师说氯气泄漏会让人咳嗽",
        "化工厂天天排废气 污染严重 我们老是咳嗽",
        "工厂有股刺鼻的味道 怀疑在偷排",
        "万一泄漏了怎么办 我们这离化工园区很近",
    ],
)
def test_a_lesson_a_nuisance_or_a_fear_is_no_toxic_leak(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize("text", ["救救我", "求求你们救救我", "救救我！！"])
def test_a_bare_plea_for_rescue_gets_the_general_line(text: str) -> None:
    found = detect(text)
    assert found is not None and found.kind == "distress"
    assert found.line == emergency_line(("110",))
    assert triage(text).kind == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "救救我的成绩吧 这次数学又没及格",
        "谁来救救我的发际线",
        "救救我们这些老百姓吧 这条路修了三年还没修好",
        "救救我 这个表格到底怎么填",
        "天天加班卷不动了 救救我 加班费能要回来吗",
    ],
)
def test_a_plea_about_a_thing_or_a_grumble_gets_no_line(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize("text", ["🔥🔥 5号楼", "2单元🔥🔥🔥", "🔥🔥🔥 楼下", "🔥🔥 隔壁"])
def test_the_fire_emoji_beside_a_place_is_a_fire(text: str) -> None:
    found = detect(text)
    assert found is not None and found.services[0] == "119"


@pytest.mark.parametrize(
    "text",
    [
        "这家店太🔥了",
        "5号楼底商新开的烧烤店生意🔥🔥🔥",
        "这首歌最近太🔥🔥了",
        "祝3栋的邻居们新年红红火火",
    ],
)
def test_the_fire_emoji_as_praise_is_no_fire(text: str) -> None:
    assert detect(text) is None
