"""Stop 27: set k's false alarms, over-ratings and under-rating, answered by classes of wording.

Set k (``blind13k_*``) is tuning data since stop 27; each rule below is a kind of wording,
shown with wordings written for this test (never set k's sentences) and with the look-alikes
that must keep their emergency line or their level: no rule may make a danger now miss its
line or a critical warning fall below high. Set l's rules are in
``tests/test_nlp_stop27_set_l.py``.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


# --- Names of shops, dishes, brands and works are no event -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "小区门口那家“火爆”烧烤店晚上几点关门",
        "我们楼下开了一家叫“救命稻草”的奶茶店，天天占道经营",
        "昨晚看了《烈火英雄》，想问下消防站能不能参观",
        "新开的那家“刀客”火锅店油烟太大",
    ],
)
def test_a_quoted_name_or_a_title_is_no_danger(text: str) -> None:
    assert detect(text) is None, text
    assert RANK[assess_severity(text).level] <= RANK["medium"], text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # quoted speech has no word that introduces a name: it stays a cry for help
        ("她喊着“救命”跑出了店门，后面有个男的拿着刀追", "110"),
        # a danger in a shop named so is still a danger
        ("楼下那家“一把刀”面馆着火了，浓烟很大", "119"),
        ("他在“老地方”饭店门口拿刀砍人", "110"),
    ],
)
def test_a_danger_beside_a_name_keeps_its_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services, (text, found)
    assert assess_severity(text).level == "critical"


# --- A case reported with no news since is a follow-up, not a person missing -------------


@pytest.mark.parametrize(
    "text",
    [
        "上周我的自行车被偷了，报警到现在也没消息",
        "家里被盗，报了案至今没消息，想问问进展",
    ],
)
def test_a_case_reported_with_no_news_is_no_missing_person(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "我家孩子昨天出门，到现在也没消息，电话也打不通",
        "孩子昨天下午出去玩，报了警到现在还没回来",
        "我爸早上出门到现在没消息，他有老年痴呆",
    ],
)
def test_a_person_with_no_news_is_still_missing_now(text: str) -> None:
    found = detect(text)
    assert found is not None and "110" in found.services, (text, found)


# --- Asking whether a video or a story is real is no danger seen -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "网上那个说有人跳河的视频是真的吗",
        "听说化工厂要爆炸了，是真的吗",
        "朋友圈里说东门菜市场着火了，真的假的",
    ],
)
def test_a_question_whether_a_story_is_real_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "快手上有人直播说要跳楼，就在我们小区楼顶，快来人",
        "我刚看到对面楼顶有人要跳楼，是真的，快来",
    ],
)
def test_a_danger_seen_keeps_its_line(text: str) -> None:
    found = detect(text)
    assert found is not None, text
    assert assess_severity(text).level == "critical"


def test_self_harm_asked_about_keeps_its_level_without_a_line() -> None:
    text = "网上那个说有人跳河的视频是真的吗"
    assert detect(text) is None
    assert assess_severity(text).level == "critical"


# --- A habit asked to be stopped is no event now ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "学校门口老有人打架，希望派出所管一管",
        "那个烧烤摊时常有人喝多了打架，希望整治一下",
        "夜市隔三差五有人打架，能不能多巡逻",
    ],
)
def test_a_habit_is_no_danger_now(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "学校门口现在有人打架，有人拿着刀",
        "这里老有人打架，现在又打起来了，有人头破血流",
    ],
)
def test_a_fight_now_beside_a_habit_keeps_its_line(text: str) -> None:
    found = detect(text)
    assert found is not None and "110" in found.services, (text, found)


# --- Paint is no fuel -----------------------------------------------------------------------


def test_paint_splashed_is_vandalism_not_arson() -> None:
    text = "两家为车位闹矛盾，这几天互相往车上泼油漆"
    sev = assess_severity(text)
    assert sev.level == "medium", sev
    assert detect(text) is None


def test_fuel_splashed_is_still_arson() -> None:
    found = detect("有人往我身上泼油，手里拿着打火机")
    assert found is not None and {"110", "119"} <= set(found.services)


# --- A hospital's building is a place, not patients admitted -------------------------------


def test_a_ward_named_as_a_place_is_no_disease_cluster() -> None:
    text = "家属二十多人在住院部大厅摆花圈，不让人过"
    assert assess_severity(text).level == "high"
    assert detect(text) is None


def test_people_admitted_are_still_a_cluster() -> None:
    found = detect("五个工人吃了食堂的饭都住院了")
    assert found is not None and "120" in found.services
    assert assess_severity("十几名学生吃了午饭后呕吐，都住院了").level == "critical"


# --- A quarrel today is still a quarrel ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "三家为宅基地吵了一个多月，今天又在地头对骂",
        "四户人家为排水沟的事今天在现场吵，说要找人来",
    ],
)
def test_a_quarrel_between_households_today_is_medium(text: str) -> None:
    assert assess_severity(text).level == "medium", text


@pytest.mark.parametrize(
    "text",
    [
        "三家为宅基地吵了一个多月，今天动手打起来了，有人头破血流",
        "几户人家今天在楼下吵，有人拿着刀",
    ],
)
def test_a_quarrel_that_turns_violent_is_critical(text: str) -> None:
    assert assess_severity(text).level == "critical", text


def test_urgency_still_raises_a_threat() -> None:
    assert assess_severity("一名上访人情绪激动，扬言明天要去区政府讨说法").level == "high"


# --- A crowd planned, and the size of an organisation, are no crowd gathered now ---------


@pytest.mark.parametrize(
    "text",
    [
        "业主群已经两百多人了，今天在群里商量下周一起去区政府",
        "五百人的厂，明天全体工人要去区政府",
    ],
)
def test_a_crowd_planned_or_sized_is_high(text: str) -> None:
    assert assess_severity(text).level == "high", text


@pytest.mark.parametrize(
    "text",
    [
        "两百多名工人现在堵在厂门口",
        "一个三百人的村，今天一百多人堵在村口",
    ],
)
def test_a_crowd_gathered_now_is_critical(text: str) -> None:
    assert assess_severity(text).level == "critical", text


# --- A rumour acted on, an anger shown ---------------------------------------------------------


def test_a_rumour_people_flee_from_stays_medium_when_denied() -> None:
    text = "不知谁在群里传，说水库要垮坝，大家赶紧跑，村里老人都拖家带口往山上走，其实水库没事"
    assert assess_severity(text).level == "medium"
    assert detect(text) is None


def test_a_rumour_denied_and_not_acted_on_is_low() -> None:
    assert assess_severity("群里传派出所打人，经核实是误会").level == "low"


def test_a_persons_own_post_is_no_rumour() -> None:
    text = "他刚发朋友圈说活着没意思，安眠药都买好了"
    assert assess_severity(text).level == "critical"
    assert detect(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "一个老人在窗口把材料摔了一地，嚷着说要去法院告你们",
        "办事的大姐把表格甩到桌上，说要去告我们",
    ],
)
def test_papers_flung_down_and_a_threat_to_sue_are_medium(text: str) -> None:
    assert assess_severity(text).level == "medium", text


def test_asking_how_to_sue_is_no_threat() -> None:
    assert assess_severity("请问欠钱不还去法院起诉需要什么材料").level == "low"


# --- A nickname is whom a greeting is for ---------------------------------------------------


@pytest.mark.parametrize("text", ["老王你好", "阿强，早上好", "你好小张"])
def test_a_greeting_to_a_nickname_is_small_talk(text: str) -> None:
    assert classify_intent(text) == "greeting"


@pytest.mark.parametrize("text", ["小区你好", "小张你好，路灯坏了", "老鼠太多了"])
def test_a_request_after_a_nickname_stays_a_request(text: str) -> None:
    assert classify_intent(text) == "request"


def test_classify_agrees_with_assess_severity_on_a_named_shop() -> None:
    assert classify("楼下新开的那家“刀客”火锅店，营业执照在哪查").severity == "low"


# --- One person's threat to block, and a report dated today --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "他拍着桌子骂了半天，说不解决就天天来这儿堵门",
        "她说再不给钱就去堵老板的门",
    ],
)
def test_one_persons_threat_to_block_is_medium(text: str) -> None:
    assert assess_severity(text).level == "medium", text


@pytest.mark.parametrize(
    "text",
    [
        "他说明天带人来堵门",
        "村民说明天要去堵路",
        "几十个工人说明天要去堵厂门",
    ],
)
def test_blocking_with_others_stays_high(text: str) -> None:
    assert assess_severity(text).level == "high", text


def test_one_person_blocking_a_road_now_is_critical() -> None:
    text = "现在他一个人躺在马路中间拦路"
    assert assess_severity(text).level == "critical"
    assert detect(text) is not None


def test_today_dates_a_report_and_raises_nothing() -> None:
    assert assess_severity("今天下午一个上访人在窗口情绪激动，拍桌子骂人").level == "medium"


def test_a_threat_for_tonight_or_tomorrow_is_still_raised() -> None:
    assert assess_severity("一名上访人情绪激动，扬言今晚就去区政府").level == "high"


@pytest.mark.parametrize(
    "text",
    [
        "我儿子昨天出门到现在没消息，电话也打不通",
        "我女儿早上出门上学，到现在没消息，手机关机了",
        "老人早上出去遛弯，到现在联系不上",
        "孩子放学到现在还没回家，电话关机",
    ],
)
def test_a_person_with_no_news_since_going_out_is_missing_now(text: str) -> None:
    """A person who went out and has not been heard of by now is missing now, even when
    they left yesterday (昨天 does not put it in the past): the 110 line, critical."""
    found = detect(text)
    assert found is not None and "110" in found.services, text
    assert classify(text).severity == "critical", text
