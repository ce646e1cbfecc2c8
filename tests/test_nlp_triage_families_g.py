"""Round 7 of issue 13's rubric: the families set g missed, in many wordings.

The wordings are written for these tests (not rows of set g): wounds told by
the wound or the blood (开了口子, 血顺着脸淌, 挨了一刀), fights (干起来了,
混战, 抡板凳), a rope thrown over a branch and tied into a loop, a cluster of
children fitting or foaming, skipping levels (绕过区里, 直接去市里, 去京里),
banners, households quarrelling for weeks, threads with hundreds of replies,
a burglar in the house now, a battery that exploded with the fire spreading,
a dog bite with open wounds. Their harmless look-alikes stay low or silent.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.intent import classify_intent
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@pytest.mark.parametrize(
    ("text", "level", "service"),
    [
        ("信访接待室里两拨人吵翻了 有人额头开了个口子", "critical", "120"),
        ("菜市场两个摊主打起来了 血顺着胳膊往下滴", "critical", "120"),
        ("村口老李被人砍了一刀 血哗哗地流", "critical", "120"),
        ("工地上两伙人干起来了 有个小伙子腿上挨了一刀", "critical", "110"),
        ("拆迁现场有人抡起铁锹 对面一个人脑袋开了口子", "critical", "110"),
        ("后山有个男的拿根麻绳往树枝上一搭 打了个结", "critical", "120"),
        ("仓库里一个工人把绳子甩到房梁上 挽了个套", "critical", "120"),
        ("幼儿园午饭后五六个小孩口吐白沫 已经叫了救护车", "critical", "120"),
        ("学校打完预防针 好几个学生抽搐晕倒 正往县医院送", "critical", "120"),
        ("屋里进了贼 我躲在卧室里不敢出声", "critical", "110"),
        ("楼下有人在翻东西 我一个人在家", "critical", "110"),
        ("车棚里电瓶车充着电爆了 火窜到三楼了", "critical", "119"),
        ("被流浪狗咬了 小腿上一个大口子 血直流", "critical", "120"),
    ],
)
def test_danger_now_in_new_wordings_gets_its_level_and_number(
    text: str, level: str, service: str
) -> None:
    assert assess_severity(text, learned=False).level == level
    found = detect(text, learned=False)
    assert found is not None and service in found.services


@pytest.mark.parametrize(
    "text",
    [
        "两个村的村民在河滩上干起来了 几十人混战",
        "商场门口两帮人打成一团",
        "小区业主和保安扭成一团",
    ],
)
def test_fights_are_at_least_high(text: str) -> None:
    assert RANK[assess_severity(text, learned=False).level] >= RANK["high"]


@pytest.mark.parametrize(
    "text",
    [
        "拆迁户们商量绕过街道直接找省里",
        "几个退伍老兵说要越过县里去反映",
        "厂里下岗的那帮人打算直接去市里闹",
        "听说有人买了火车票要上京城告状",
        "物业收费的事业主们准备拉条幅",
        "二十多个家长在校门口拉了条幅",
    ],
)
def test_skipping_levels_and_banners_are_high(text: str) -> None:
    assert RANK[assess_severity(text, learned=False).level] >= RANK["high"]


@pytest.mark.parametrize(
    "text",
    [
        "楼上楼下为晾衣服的事吵了好几个月",
        "宅基地的事牵扯到四五户 谁也不让谁",
        "两家人为一堵墙扯了大半年 前天差点动手",
        "有人在论坛上扒区里招聘的内幕 跟帖上千",
        "那条说学校食堂用过期肉的评论转发好几百了",
    ],
)
def test_long_quarrels_and_big_threads_are_medium(text: str) -> None:
    assert RANK[assess_severity(text, learned=False).level] >= RANK["medium"]


@pytest.mark.parametrize(
    "text",
    [
        "这活干起来挺累的，想问问加班费怎么算",
        "我的裤子开了口子，社区有没有缝补的志愿者",
        "想问一下血压高能不能办慢病卡",
        "小区的电动车充电桩什么时候装",
        "帮我问问这个表格怎么填",
        "我家狗把邻居的鞋咬了，要赔多少",
    ],
)
def test_look_alikes_stay_low_and_silent(text: str) -> None:
    assert assess_severity(text, learned=False).level == "low"
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "救命啊 这个网站的验证码怎么老是错",
        "救命 作业的题目看不懂",
    ],
)
def test_a_cry_about_paperwork_is_no_emergency(text: str) -> None:
    assert detect(text) is None


def test_a_cry_beside_danger_still_gets_the_line() -> None:
    found = detect("救命 有人拿刀砍人 表格都扔了")
    assert found is not None and "110" in found.services
    bare = detect("救命啊 快来人")
    assert bare is not None and "110" in bare.services


@pytest.mark.parametrize("text", ["给您拜年了", "新春快乐 给大家拜个早年", "过年好呀 拜年啦"])
def test_new_year_wishes_are_small_talk(text: str) -> None:
    assert classify_intent(text) == "greeting"


@pytest.mark.parametrize("text", ["拜年了 请问春节期间社区办公吗", "拜个晚年，我家暖气不热"])
def test_a_wish_before_a_question_stays_a_request(text: str) -> None:
    assert classify_intent(text) == "request"
