"""Stop 30's triage sets q and r: their misses answered by classes of wording, and guards.

* Triage sets q and r (``blind13q_*``, ``blind13r_*``, issue 13) were written blind by helpers
  who never saw the code, and scored **unseen** by the lead on main 244b2f2:

  - set q: warnings critical 29/30 with **one critical rated low** (a long report, background
    first, ending with a man pouring a bucket of petrol into his ex-wife's stairwell), exact
    0.90, under-rated 5 (two collective complaints of 8–9 and 10+ people planned for
    tomorrow / Thursday rated low; a re-quarrel after a mediated fight; a panic rumour
    screenshot), over-rated 5; emergency line 63/65 (none: a scammer in my home forcing a
    transfer now; a colleague who drank antifreeze), right number 62 (door-to-door fake gas
    checkers ransacking drawers now → 110, got 119); false alarms 2/65 (a Douyin video of
    someone jumping into a river to save a dog; a fire-escape drill question); small talk
    79/80 (好久不见 read as a request); vague 22/25.
  - set r: warnings critical 29/30 (a fever cluster at a school, 30 pupils off, 9 in
    hospital → rated high), exact 0.89, under-rated 2, over-rated 9 (a fire drill's smoke
    canisters, 穷得快上吊了 said as a joke, 拖死人了 grumbling, an online call to stop paying
    fees with 100+ participants, 同归于尽 as a conditional threat without means, a
    child-snatching rumour denied by police, …); emergency line 63/65 (none: an old
    building's wall cracking with bricks falling and old people still inside → 119; welding
    sparks igniting foam boards → 119), right number 61 (a child gone under in a pit of
    water, a swimmer swept under in a reservoir → 110+120, got 119 alone); false alarms 4/65
    (周末在家放火锅 got 110+119+120, 煤气泄漏了应该先干嘛 asked, 火锅底料辣到爆炸, a first-aid
    kit's contents asked); vague 23/25 (我的事什么时候能办好, 我受委屈了).

* **Sets q and r are tuning data since stop 30, branch i13ii** (docs/severity.md, "Stop 30:
  sets q and r"): each miss was read as the kind of text it stands for and answered at its
  cause, tested below with wordings of its own — positives and the look-alikes a rule that
  over-reached would catch — never the sets' sentences. The guards at the end are at the level
  reached in-sample: no estimate. The scammer in my home (set q, no line) was left to branch
  i13hh, which answers the scammer at the door.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.headcount import parse_head_count
from nlp.intent import classify_intent
from nlp.severity import assess_severity
from tests.test_nlp_stop25_sets import DATA, RANK, SMALL, _rows


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# Fuel poured at a place is arson under way, and the act told in the present in the clause
# after the fuel dates it now, whatever the background before it (a quarrel mediated, a past
# call-out).
@pytest.mark.parametrize(
    "text",
    [
        "有个男的提着一桶柴油正往我家门上浇",
        "李某与邻居因宅基地纠纷多年，村里调解过三次，去年还动过手，档案里都有记录。"
        "刚才村民打来电话，李某拎着一壶汽油去了邻居家，正往院子里泼。",
    ],
)
def test_fuel_poured_at_a_place_is_arson_now(text: str) -> None:
    assert {"110", "119"} <= set(_line(text))
    assert classify(text).severity == "critical"


# 放火 / 点火 read across a word boundary: a noun that opens with 火.
@pytest.mark.parametrize(
    "text", ["晚上在家放火锅底料煮面条", "锅里放火腿肠还是放鸡蛋", "给孩子买了个放火箭的玩具"]
)
def test_a_noun_opening_with_fire_after_fang_is_no_arson(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


def test_setting_fire_to_a_car_stays_arson() -> None:
    assert "110" in _line("有人在楼下放火烧车")


# A taste or a praise made "explosive" is no explosion; a gas bottle's is.
@pytest.mark.parametrize("text", ["这家奶茶甜到爆炸", "新开的麻辣烫香到爆炸 推荐"])
def test_a_taste_to_bursting_gets_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


def test_a_gas_bottle_exploding_keeps_its_line() -> None:
    assert "119" in _line("楼下餐馆的煤气罐爆炸了")


# A first-aid kit is a thing; a drill is no fire; a fire only believed is none.
@pytest.mark.parametrize(
    "text",
    [
        "家里的急救包需要备哪些药",
        "车上放个急救箱有必要吗",
        "下周小区搞火灾疏散演练 老人要参加吗",
        "演练的时候好多人以为着火了 其实是烟雾弹",
    ],
)
def test_a_kit_a_drill_or_a_fire_believed_gets_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


# What to do if … is a question; a leak told now with the same words is a danger.
def test_what_to_do_if_gas_leaks_is_a_question() -> None:
    assert _line("要是液化气罐漏气了该干嘛") == ()


def test_a_gas_leak_now_keeps_its_line_whatever_is_asked() -> None:
    assert "119" in _line("厨房煤气泄漏了 我该干嘛")


# A jump into water to save someone, seen on a screen, is no self-harm; a jump told now is.
def test_a_rescue_jump_seen_in_a_video_gets_no_line() -> None:
    text = "快手上刷到一个小伙跳江救人的视频"
    assert _line(text) == ()
    assert classify(text).severity != "critical"


def test_someone_jumping_into_a_river_now_keeps_its_line() -> None:
    assert {"120", "110"} <= set(_line("有人跳河了 快来人"))


# A person fallen into water with the place told between, or a swimmer gone under: the water
# family's numbers (119, 110, 120). A phone lost while swimming is no person.
@pytest.mark.parametrize(
    "text", ["一个孩子掉进村口的鱼塘里了 看不见了", "几个孩子去水库游泳，有个被冲走了"]
)
def test_a_person_gone_under_water_gets_the_water_numbers(text: str) -> None:
    assert {"119", "110", "120"} <= set(_line(text))
    assert classify(text).severity == "critical"


def test_a_phone_lost_while_swimming_gets_no_line() -> None:
    assert _line("游泳回来发现手机不见了") == ()


# A building shedding bricks with people inside; a spark that set something alight.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("老房子的墙一直往下掉砖 里面还有人住着", "119"),
        ("烟头把沙发引燃了 屋里全是烟", "119"),
    ],
)
def test_bricks_falling_on_people_or_a_spark_fire_gets_119(text: str, number: str) -> None:
    assert number in _line(text)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize("text", ["用打火机把蜡烛点着了", "过年放鞭炮 点着就跑"])
def test_lighting_a_candle_or_a_firecracker_gets_no_line(text: str) -> None:
    assert _line(text) == ()


# A poisonous liquid drunk by mistake: 120. Asked about, or bought, it is no emergency.
@pytest.mark.parametrize("text", ["老人误喝了玻璃水 现在肚子疼", "孩子把消毒水当饮料喝了一口"])
def test_a_poison_drunk_by_mistake_gets_120(text: str) -> None:
    assert "120" in _line(text)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize("text", ["防冻液喝了会怎样", "车上的玻璃水用完了 去哪买"])
def test_a_liquid_asked_about_gets_no_line(text: str) -> None:
    assert _line(text) == ()


# Strangers in on a pretext rifling a home: the police's (110), not the gas company's.
def test_strangers_rifling_a_home_on_a_pretext_get_110() -> None:
    assert "110" in _line("两个人自称物业查水表 进屋就翻柜子")


def test_a_meter_reading_announced_gets_no_line() -> None:
    assert _line("物业说明天来查水表 要留人在家吗") == ()


# A cluster told symptom first, the group counted, people in hospital: critical (rubric).
def test_a_fever_cluster_with_children_in_hospital_is_critical() -> None:
    assert classify("幼儿园发烧的孩子有二十多个，已经有五个住院了").severity == "critical"


# Collective action: a count whose people close their own clause (七八个在…的学员), a demand
# made together at an office (讨说法) that no pastime word (参加) unmakes; a pastime stays one.
def test_an_estimate_closed_by_its_people_counts_them() -> None:
    assert parse_head_count("七八个在同一个驾校报名被骗了学费的学员") == 8
    # An exact count that far from its people is not read (as before): 三个 is no estimate.
    assert parse_head_count("三个在门口买菜的老人") is None


@pytest.mark.parametrize(
    "text",
    [
        "七八个在同一个驾校报名被骗了学费的学员，约好明天一起去交通局投诉",
        "二十来名参加公务员面试的考生相约周一一起到人社局要求复核成绩",
    ],
)
def test_a_group_going_together_to_an_office_is_high(text: str) -> None:
    assert classify(text).severity == "high"


def test_a_pastime_with_a_head_count_stays_low() -> None:
    assert classify("二十多个居民报名参加社区包饺子活动").severity == "low"


# A dispute settled, then flaring up again after the settled word, is a dispute (medium).
def test_a_dispute_flaring_up_after_mediation_is_medium() -> None:
    again = "两户人家上周为漏水吵过，社区已经调解好了，今天两家又吵起来了"
    assert classify(again).severity == "medium"
    assert classify("两家上个月吵过，已经调解好了，现在相处挺好").severity == "low"


# A threat to burn a house told as talk is one person's threat (medium); a fire set is 119.
def test_a_threat_to_burn_a_house_is_medium_and_a_fire_set_is_critical() -> None:
    threat = "他说谁敢拆他家的棚子他就一把火把村委会点了"
    assert classify(threat).severity == "medium"
    assert _line(threat) == ()
    fire = "有人一把火把柴垛点了 现在烧起来了"
    assert "119" in _line(fire)
    assert classify(fire).severity == "critical"


# Rumours: spread wildly and denied by the police, or going round online with residents asking.
@pytest.mark.parametrize(
    "text",
    [
        "群里都在疯传超市门口有人抢小孩，派出所说没有此事",
        "网上流传一个视频说这片要征收，好多居民打电话来问",
    ],
)
def test_a_rumour_is_medium_with_no_line(text: str) -> None:
    assert classify(text).severity == "medium"
    assert _line(text) == ()


# Grumbling, nobody found acting, doors knocked on: low.
@pytest.mark.parametrize(
    "text",
    [
        "这手续磨死人了 跑了五趟",
        "目前没发现有人组织上访，只是几个老人私下议论",
        "社区干部入户走访了三百多户居民 了解供暖情况",
    ],
)
def test_grumbling_nobody_acting_or_doors_knocked_on_is_low(text: str) -> None:
    assert classify(text).severity == "low"


# A crowd planned while people are still drawn in is high; a crowd gathered now is critical.
def test_a_crowd_still_recruiting_for_a_day_to_come_is_high() -> None:
    assert classify("三百多个业主约好下周六去区政府，现在还在拉人").severity == "high"
    assert classify("三百多个业主现在堵在区政府门口").severity == "critical"


# A crowd acting now stays the most serious whatever more it plans or draws in (the rubric
# alone: the model must not be what keeps it critical).
@pytest.mark.parametrize(
    "text",
    [
        "两百多人现在堵在区政府门口，还在召集更多人过来",
        "两百多人现在堵在区政府门口，还在商量要不要去市里",
    ],
)
def test_a_crowd_blocking_now_stays_critical_while_it_plans_more(text: str) -> None:
    assert assess_severity(text, learned=False).level == "critical"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("好久不见", "greeting"),
        ("好久不见 路灯又坏了", "request"),
        ("我受委屈了", "vague"),
        ("我受委屈了 单位扣我工资", "request"),
        ("我的事什么时候能办好", "vague"),
        ("路灯什么时候修", "request"),
        ("有个事麻烦你们一下", "vague"),
        ("麻烦你们帮我查下社保", "request"),
        ("我想办个手续", "vague"),
        ("办手续需要带什么", "request"),
    ],
)
def test_greetings_after_a_while_and_unnamed_matters(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


def _warnings(tag: str) -> list[tuple[str, str]]:
    rows = _rows(DATA / f"blind13{tag}_warnings.tsv")
    assert len(rows) == 100
    return [(classify(r["text"]).severity, r["severity"]) for r in rows]


def _emergencies(tag: str) -> tuple[int, int, int]:
    """Dangers with a line, with the right number, and look-alikes with a line."""
    em = _rows(DATA / f"blind13{tag}_emergencies.tsv")
    danger = [r for r in em if r["danger"] == "1"]
    harmless = [r for r in em if r["danger"] == "0"]
    assert len(danger) == 65 and len(harmless) == 65
    found = [(detect(r["text"]), r) for r in danger]
    line = sum(f is not None for f, _ in found)
    right = sum(
        f is not None and bool(set(r["service"].split("+")) & set(f.services)) for f, r in found
    )
    return line, right, sum(detect(r["text"]) is not None for r in harmless)


def _non_requests(tag: str) -> tuple[int, int, int]:
    """Small talk recognised, vague openings asked back, requests taken for either."""
    nr = _rows(DATA / f"blind13{tag}_nonrequests.tsv")
    talk = [classify_intent(r["text"]) in SMALL for r in nr if r["kind"] in SMALL]
    vague = [classify_intent(r["text"]) == "vague" for r in nr if r["kind"] == "vague"]
    assert len(talk) == 80 and len(vague) == 25
    mistaken = sum(classify_intent(r["text"]) != "request" for r in nr if r["kind"] == "request")
    return sum(talk), sum(vague), mistaken


def test_set_q_warnings_stay_where_they_were_tuned() -> None:
    """Unseen on main 244b2f2: critical 29/30 (one rated low), exact 0.90, under 5, over 5.
    In-sample since i13ii: critical 30/30, exact 0.99, under 0, over 1 (forty-odd workers
    blocking their factory's gate, labelled high, raised to critical by the learned model)."""
    got = _warnings("q")
    assert sum(want == "critical" for _, want in got) == 30
    assert all(g == "critical" for g, want in got if want == "critical")
    assert sum(g == want for g, want in got) >= 99
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 1


def test_set_r_warnings_stay_where_they_were_tuned() -> None:
    """Unseen on main 244b2f2: critical 29/30 (one rated high), exact 0.89, under 2, over 9.
    In-sample since i13ii: critical 30/30, exact 0.94, under 0, over 6."""
    got = _warnings("r")
    assert sum(want == "critical" for _, want in got) == 30
    assert all(g == "critical" for g, want in got if want == "critical")
    assert sum(g == want for g, want in got) >= 94
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 6


def test_set_q_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Unseen on main 244b2f2: line 63/65, right number 62, false alarms 2/65, small talk 79/80,
    vague 22/25. In-sample since i13ii: line 64/65 (the scammer in my home was left to i13hh),
    right number 64, false alarms 0/65, small talk 80/80, vague 25/25, requests mistaken 0;
    since i13hh's merge (a scammer at the door gets 110) line 65/65, right number 65."""
    assert _emergencies("q") == (65, 65, 0)
    assert _non_requests("q") == (80, 25, 0)


def test_set_r_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Unseen on main 244b2f2: line 63/65, right number 61, false alarms 4/65, small talk 80/80,
    vague 23/25. In-sample since i13ii: line 65/65, right number 65, false alarms 0/65,
    vague 25/25, requests mistaken 0."""
    assert _emergencies("r") == (65, 65, 0)
    assert _non_requests("r") == (80, 25, 0)


@pytest.mark.parametrize(
    "text", ["我最近总是想到死", "老是想着死，活着太累", "最近经常想到死，晚上睡不着"]
)
def test_death_kept_coming_to_mind_is_critical(text: str) -> None:
    """pf30's finding: 我最近总是想到死 was rated low (suicide in any wording is critical)."""
    assert classify(text).severity == "critical"


@pytest.mark.parametrize("text", ["没想到死了这么多鱼", "我总想到死去的奶奶，心里难受"])
def test_thinking_of_the_dead_or_a_surprise_is_not_self_harm(text: str) -> None:
    assert classify(text).severity != "critical"
    assert detect(text) is None
