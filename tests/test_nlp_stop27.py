"""Stop 27: set k's false alarms, over-ratings and under-rating, answered by classes of wording.

Set k (``blind13k_*``) is tuning data since stop 27; each rule below is a kind of wording,
shown with wordings written for this test (never set k's sentences) and with the look-alikes
that must keep their emergency line or their level: no rule may make a danger now miss its
line or a critical warning fall below high.
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


# === Set l (``blind13l_*``, tuning data since branch i13y) ===================================
# Each rule below is a kind of wording, shown with wordings written for this test (not set l's
# sentences) and with look-alikes that must keep their line or their level.

# --- A drama watched, a youth retold, money cried about, a hot dish, a temper --------------


@pytest.mark.parametrize(
    "text",
    [
        "昨晚追剧，女主角跳河那一集看得我难受",
        "这剧后半段着火那场戏拍得真好",
        "我爷爷年轻的时候在河里救过一个落水的孩子，他常说起这事",
        "我妈年轻时在纺织厂遇到过一次大火，她老说起",
        "救命啊，这个月电费怎么这么贵",
        "救命，房贷又涨了，到底怎么算的",
        "这家的毛血旺辣得冒火，推荐大家去吃",
        "社保卡还没办下来，急得我心里冒火",
        "我老板气得要爆炸了，因为报表又错了",
        "我妈气到爆炸，说我乱花钱",
    ],
)
def test_a_story_a_youth_an_exclamation_or_an_idiom_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # 男主人 is a man of the house, not a leading man
        ("男主人拿着刀在楼道里追他老婆，快来", "110"),
        ("我在家追剧，对面楼现在着火了，浓烟很大", "119"),
        ("我爸年轻时候在矿上干过，现在他在家里晕倒了叫不醒", "120"),
        ("救命啊，讨工资的时候被老板的人打了，头在流血", "110"),
        # pay named beside a cry is no bill asked about
        ("救命，讨工资被老板关起来了", "110"),
        ("救命，工资被扣了还被他们锁在厂里", "110"),
        ("救命，我被人扣了", "110"),
        ("厨房的插座在冒火，电线都烧黑了", "119"),
        ("楼下饭店的煤气罐爆炸了，有人受伤", "119"),
    ],
)
def test_a_danger_in_the_same_words_keeps_its_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services, (text, found)
    assert assess_severity(text).level == "critical", text


# --- A gathering or a threat told over ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "前几天在厂门口讨薪的那些工人，钱已经结清了，人都散了",
        "以前说要去省里上访的那几户，上个月都签了安置协议",
        # a threat to one's life settled for good is low (set e's label)
        "去年跳过河被救起来的那个人，现在上班了，回访一切正常",
    ],
)
def test_a_gathering_or_threat_told_over_is_low(text: str) -> None:
    assert assess_severity(text).level == "low", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "上周说要跳河的那个大爷，家属说是气话，这几天情绪平稳",
        "前天扬言要喝农药的那个妇女，今天去看了，人没事，她说当时说的是气话",
    ],
)
def test_a_threat_to_ones_life_told_calm_again_is_medium(text: str) -> None:
    """Still a person to visit again: not low, and no alert."""
    assert assess_severity(text).level == "medium", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "昨天说要喝药的那个大姐，今天又说不想活了，刚才把药瓶拿出来了",
        "工资还没发，人都没散，现在还有三十多个工人堵在厂门口",
    ],
)
def test_a_threat_or_gathering_still_on_keeps_its_level(text: str) -> None:
    assert RANK[assess_severity(text).level] >= RANK["high"], text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("有人说桥上有人要跳河，派出所去看了，没这回事", "low"),
        # a denied story people still act on or ask about is a rumour causing panic
        ("群里说化工厂要爆炸，我问了厂里，没这回事，可是好多人在问要不要撤", "medium"),
    ],
)
def test_a_story_denied_is_a_rumour(text: str, level: str) -> None:
    assert assess_severity(text).level == level, text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("刚才还有人说没这回事，可现在楼顶上真的有人要跳，快来", "110"),
        # a denial told first, or by the doer, takes nothing back
        ("他嘴上说没这回事，转身就拿刀砍人了", "110"),
        ("有人说没这回事，结果楼下真着火了", "119"),
        ("他拿刀砍人了，还说没这回事", "110"),
        # a threat called 气话 and then acted on
        ("他说是气话，刚才又爬上楼顶了", "110"),
    ],
)
def test_a_danger_beside_a_denial_keeps_its_line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services, (text, found)
    assert assess_severity(text).level == "critical", text


# --- Groups planning, sitting in, called online, complaining jointly -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "二十几个被装修公司骗了的业主商量着一起去市场监管局投诉",
        "十几个被拖欠工资的工人约着一起去劳动局讨说法，说定在下周一",
        "六户人家一块儿到社区坐着不走，要求修路",
        "抖音上有人号召业主周日去售楼处集合维权，转发已经好几百了",
    ],
)
def test_a_group_planning_sitting_in_or_called_online_is_high(text: str) -> None:
    assert assess_severity(text).level == "high", text


@pytest.mark.parametrize(
    "text",
    [
        "我和我老公商量着一起去民政局办手续",
        "我们几个商量着一起去街道问问低保的事",
        "两户人家一块儿来社区问补贴的事",
        "有人号召周末在公园集合捡垃圾，没几个人转发",
    ],
)
def test_two_people_or_a_pastime_called_is_no_group_action(text: str) -> None:
    assert RANK[assess_severity(text).level] <= RANK["medium"], text


def test_households_complaining_jointly_are_a_dispute_of_many() -> None:
    text = "四家住户联合投诉楼上天天装修到半夜"
    assert assess_severity(text).level == "medium"


# --- A good morning with a new day; whether this is the place ------------------------------


@pytest.mark.parametrize("text", ["早上好呀，新的一天", "新的一天，大家早上好", "又是新的一天"])
def test_a_new_day_wished_is_a_greeting(text: str) -> None:
    assert classify_intent(text) == "greeting", text


@pytest.mark.parametrize(
    "text", ["新的一天，小区门口的垃圾还是没人清", "早上好，新的一天，路灯还是不亮"]
)
def test_a_new_day_with_a_matter_is_a_request(text: str) -> None:
    assert classify_intent(text) == "request", text


@pytest.mark.parametrize("text", ["请问是这里办吗", "请问是这里吗", "是不是在这里办"])
def test_whether_this_is_the_place_is_asked_back(text: str) -> None:
    assert classify_intent(text) == "vague", text


@pytest.mark.parametrize("text", ["是这里办低保吗", "请问低保是这里办吗", "请问办居住证是这里吗"])
def test_whether_this_is_the_place_for_a_matter_is_a_request(text: str) -> None:
    assert classify_intent(text) == "request", text


@pytest.mark.parametrize(
    "text",
    [
        "我在家看电视剧，对面楼现在着火了，浓烟很大",
        "正在追剧呢，楼下现在有人拿刀砍人",
        "刚看完那部电影，出门发现小区河里现在有个小孩落水了",
    ],
)
def test_a_danger_now_beside_a_drama_keeps_its_line(text: str) -> None:
    """Fiction words (电视剧, 电影, 追剧) cancel a danger unless a word of now says it is
    happening: 现在 and 此刻 do, like 正在 (found by i13y, fixed by the lead, stop 27)."""
    found = detect(text)
    assert found is not None, text
    assert classify(text).severity == "critical", text
