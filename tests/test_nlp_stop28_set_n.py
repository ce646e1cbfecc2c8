"""Stop 28's triage set n: its misses answered by classes of wording, and a guard at its level.

* Triage set n (``blind13n_*``, issue 13) was written blind (by a helper who saw only
  DESIGN.md, the seed and the issue's rubric, never the code, the lexicon or
  ``config/severity.toml``) and scored **unseen** by the lead on main 7015324: critical
  28/30 (one critical rated low: a lone old man who calls himself a burden gives his
  bank book, keys and ID card to a neighbour, says he will not need them any more, and is
  not at home; one rated high: forty households blocking the gate of a sub-district
  office), exact 0.90, under-rated 3, over-rated 7, emergency line 61/65 (missed:
  extortion under way, 110; a knife at the door told after a long quarrel, 110; a fire
  told after a barbecue complaint, 119; a mother found collapsed and barely responsive,
  120), false alarms 2/65 (救命啊 about a housing fund; a smoke alarm after burnt cooking,
  switched off by the writer), small talk 79/80 (谢谢，已经有人联系我了 read as vague),
  vague 25/25, requests mistaken 0/100.
* **Set n is tuning data since stop 28, branch i13dd** (docs/severity.md, "Stop 28: set n"):
  each miss was answered by a class of wording, tested below with wordings of its own,
  positive and look-alike (never set n's sentences); the set-n guards are at the level
  reached in-sample, no estimate.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent
from tests.test_nlp_stop25_sets import assert_lines_and_small_talk_hold, assert_warnings_hold


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# Farewells and belongings given away: a classic warning sign of suicide, self-harm
# in any wording (critical, the crisis line).
@pytest.mark.parametrize(
    "text",
    [
        "隔壁的老刘这阵子老说活着拖累孩子，今天把银行卡和房产证都塞给他侄子了，说以后用不上了，现在手机关机",
        "我舅把工资卡和家里钥匙留给我妈，说以后用不着了，人现在找不到",
    ],
)
def test_belongings_given_away_with_a_farewell_are_self_harm(text: str) -> None:
    assert classify(text).severity == "critical"
    assert "120" in _line(text) and "110" in _line(text)


@pytest.mark.parametrize(
    "text",
    [
        "我出差一周，把家里钥匙交给邻居帮忙喂猫",
        "旧存折交给银行销户了，以后用不着了",
        "老人把身份证交给社区办理高龄补贴",
    ],
)
def test_keys_or_cards_handed_over_for_errands_are_no_farewell(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity != "critical"


# Extortion under way: protection money demanded with a threat, the men still there.
def test_extortion_in_progress_gets_the_police() -> None:
    text = "饭馆里进来四个人要收保护费，说不交就砸店，现在人还在大堂里坐着"
    assert "110" in _line(text)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    ["扫黑除恶宣传栏写着：收保护费属于违法行为", "前年这条街有人收保护费，后来被抓了"],
)
def test_protection_money_named_or_past_gets_no_line(text: str) -> None:
    assert _line(text) == ()


# Danger told after the background, dated today or tonight and told as a scene.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("我们和楼上为噪音闹过好多次，今晚他又喝多了，拿着斧头在砸我家门", "110"),
        ("小区每天都有人在车棚充电，我一直担心，今天下楼一看，车棚里的电动车已经烧起来了", "119"),
        ("我每周去看我爸，今天进门发现他躺在地板上，叫他也不答应", "120"),
    ],
)
def test_danger_told_today_after_a_background_gets_its_line(text: str, number: str) -> None:
    assert number in _line(text)


@pytest.mark.parametrize(
    "text",
    ["之前跟邻居吵过几次，今晚想问问社区能不能调解", "去年厨房着过一次火，今晚想问问灭火器在哪买"],
)
def test_today_asking_about_a_past_matter_gets_no_line(text: str) -> None:
    assert _line(text) == ()


# A person found collapsed and barely responsive.
def test_found_collapsed_and_barely_responsive_is_120() -> None:
    assert "120" in _line("早上起来发现奶奶倒在厨房地上，叫她没反应")


def test_asleep_on_a_bed_is_no_collapse() -> None:
    assert _line("我爸倒在床上就睡，叫也不答应，打呼噜") == ()


# 救命啊 as exasperation about money or paperwork; a real call stays.
@pytest.mark.parametrize("text", ["救命啊，我的退休金怎么还没到账", "救命，补贴审批怎么还没批下来"])
def test_cry_about_money_or_paperwork_is_no_call_for_help(text: str) -> None:
    assert _line(text) == ()


@pytest.mark.parametrize("text", ["救命啊，社保局门口有人晕倒了", "救命，我被关在屋里了"])
def test_real_calls_for_help_keep_their_line(text: str) -> None:
    assert _line(text) != ()


# Cooking heat is no fire; a pan on fire still is.
def test_cooking_on_high_heat_is_no_fire() -> None:
    assert _line("晚饭开大火炒菜，锅有点糊，烟雾报警器叫了，我自己关了") == ()
    assert "119" in _line("厨房锅里着火了，火苗窜得好高")


# A gate blocked with the staff shut in or out now is critical; cars parked across a
# gate are not.
def test_a_gate_blocked_with_staff_shut_in_is_critical() -> None:
    assert classify("三十多个村民把镇政府大门堵住了，工作人员出不来也进不去").severity == "critical"
    assert classify("小区门口被车堵住了，进不去也出不来，物业不管").severity != "critical"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("谢谢，已经有人给我打电话了", "thanks"),
        ("谢谢，还没有人联系我", "request"),
    ],
)
def test_thanks_for_being_contacted_is_small_talk(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


def test_set_n_warnings_stay_where_they_were_tuned() -> None:
    """Set n's 100 warnings (30 critical). Unseen on main 7015324: critical 28/30, exact 0.90,
    under-rated 3, over-rated 7. In-sample since branch i13dd: critical 30/30, exact 0.92,
    under-rated 1, over-rated 7."""
    assert_warnings_hold("n", exact=92, under=1, over=7)


def test_set_n_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Set n unseen on main 7015324: the emergency line for 61/65 dangers now, false alarms
    2/65, small talk 79/80, vague 25/25, requests mistaken 0/100. In-sample since branch
    i13dd: the line for 65/65 with the right number, false alarms 0/65, small talk 80/80."""
    assert_lines_and_small_talk_hold("n")
