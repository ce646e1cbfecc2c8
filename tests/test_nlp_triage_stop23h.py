"""Stop 23, set h: the families set h found when it was scored unseen.

Each fix is a family of expressions; every test holds wordings of its own (none is
a set h text): fun, a laugh or fiction is no danger now, money and pressure idioms
are no wound or breathlessness, venting is no danger the model may read into a
topic, a ransom call and heatstroke are emergencies, a greeting with a first visit
is small talk, a help-me opening with nothing named is asked back, a whole group
going to an office is collective action and an estimate right after the word for
people is a head count.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.headcount import parse_head_count
from nlp.intent import classify_intent
from nlp.severity import assess_severity


@pytest.mark.parametrize(
    "text",
    [
        "哈哈哈 我家狗把头卡进栏杆里出不来了 蠢得要命",
        "昨晚看的那部电影里 男主被困在火场里 哭死我了",
        "电视剧最后女主掉进河里了 编剧太狠了",
        "周末去玩水上乐园 从滑梯冲进水里好几次 太好玩了",
        "小说里主角被人捅了一刀 居然还能活",
        "笑死 同事把自己锁在厕所里出不来 喊了半天",
    ],
)
def test_fun_a_laugh_or_fiction_is_no_danger_now(text: str) -> None:
    assert detect(text) is None, text
    assert assess_severity(text).level == "low", text


def test_a_laugh_does_not_hide_a_danger_written_as_now() -> None:
    found = detect("哈哈 别笑了 楼下正在着火 快来")
    assert found is not None and "119" in found.services


def test_a_laugh_beside_self_harm_is_still_a_warning_sign() -> None:
    assert assess_severity("哈哈 活着没意思 不想活了").level == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "双十一钱包大出血 买了一堆用不上的东西",
        "这个月大出血 给爸妈换了个新冰箱",
        "老板大出血 年会每人发了个手机",
        "房贷压得喘不过气 想问问公积金能不能提前取",
        "最近加班忙得喘不过气 想请个年假",
        "快递又送错了 气炸了",
        "孩子把墨水打翻在沙发上 我真是气死了",
    ],
)
def test_money_pressure_and_venting_idioms_are_no_emergency(text: str) -> None:
    assert detect(text) is None, text


def test_a_real_haemorrhage_and_breathlessness_still_are() -> None:
    for text in ("我老婆刚生完孩子大出血 快来", "老人突然喘不过气 嘴唇发紫"):
        found = detect(text)
        assert found is not None and "120" in found.services, text


@pytest.mark.parametrize(
    "text",
    [
        "刚接到电话说我儿子被绑架了 要二十万赎金 让我别报警",
        "有个陌生人打电话 说我老公在他们手上 敢报警就撕票",
        "对方说孩子在他手里，让我一个小时内打钱，不准报警",
    ],
)
def test_a_ransom_call_is_for_110(text: str) -> None:
    found = detect(text)
    assert found is not None and "110" in found.services, text
    assert assess_severity(text).level == "critical", text


@pytest.mark.parametrize("text", ["别拿孝顺来道德绑架我", "婆婆总是情感绑架 我该怎么办"])
def test_moral_blackmail_is_no_kidnap(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "广场上一个环卫工热晕了 浑身滚烫 叫不应",
        "大棚里干活的老人中暑晕倒了 一直在抽",
        "孩子在车里关了一个小时 像是热射病 怎么办",
    ],
)
def test_heatstroke_is_for_120(text: str) -> None:
    found = detect(text)
    assert found is not None and "120" in found.services, text


@pytest.mark.parametrize(
    "text",
    ["夏天怎么预防中暑", "我家猫好像中暑了 宠物医院几点开门", "中暑了吃什么药好"],
)
def test_heat_advice_and_pets_are_no_emergency(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好 第一次使用这个小程序", "greeting"),
        ("哈喽 刚关注", "greeting"),
        ("您好，头一次用", "greeting"),
        ("你好 第一次用燃气灶就漏气了", "request"),
        ("我这边遇到麻烦了", "vague"),
        ("能帮我查查吗", "vague"),
        ("想咨询一下", "vague"),
        ("有件事想请教您", "vague"),
        ("能不能帮我查一下医保余额", "request"),
        ("我遇到麻烦了，房东扣押金不退", "request"),
        ("麻烦了，谢谢", "thanks"),
    ],
)
def test_first_visits_and_help_me_openings(text: str, intent: str) -> None:
    assert classify_intent(text) == intent, text


@pytest.mark.parametrize(
    "text",
    [
        "全村人商量好了 下个月一起去县政府 说征地款被截留了",
        "厂里开了会 全体职工月底到市里 讨个说法",
    ],
)
def test_a_whole_group_going_to_an_office_is_collective_action(text: str) -> None:
    assert assess_severity(text).level == "high", text


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("业主四十多个又到售楼处坐着", 40),
        ("村民二十来个今天一早就到了", 20),
        ("工人三个月没拿到钱", None),
        ("家长五个今天来问", None),
    ],
)
def test_an_estimate_right_after_the_people_is_a_head_count(text: str, count: int | None) -> None:
    assert parse_head_count(text) == count, text
