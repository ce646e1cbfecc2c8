"""Stop 29's triage set o: its misses answered by classes of meaning, and a guard at its level.

* Triage set o (``blind13o_*``, issue 13) was written blind by a helper who saw only
  DESIGN.md, the seed and the issue's rubric, never the code, the lexicon or
  ``config/severity.toml``, and scored **unseen** by the lead on main: warnings critical 30/30,
  exact 0.90, under-rated 3 (a denied cholera rumour with parents demanding school closure,
  medium; a years-long land quarrel ending in 说要跟对方拼了, medium; a dozen couriers
  blocking their company's gate, high); emergency line 65/65 but false alarms 7/65 = 0.108
  (goal 0.05: a game's hero who sets fires, a mortgage that leaves one breathless, a question
  about first aid for drowning, an action film, a smoke alarm's flat battery, a child
  "poisoned" by a phone, a shooting game turned up loud), right number 63/65 (a child
  struggling in a river got 119 alone against 110+120; lost in the hills at night with a
  sprained ankle got 120 alone against 110+119); small talk 80/80, vague 23/25 (这种事怎么处理,
  麻烦问下 read as requests), one request (打官司咋弄) taken for vague.
* **Set o is tuning data since stop 29, branch i13gg** (docs/severity.md, "Stop 29: set o"):
  each miss was answered by a class of meaning (``[look_alikes]`` in ``config/severity.toml``,
  :mod:`nlp.look_alikes`; a threat combo; new families ``water_person``, ``lost_outdoors``
  and ``gate_group``; the panic words of a rumour acted on; vague openings), tested below
  with wordings of its own, look-alikes and true dangers a rule that over-reached would
  silence (never set o's sentences). The set-o guards are at the level reached in-sample: no
  estimate.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.intent import classify_intent
from tests.test_nlp_stop25_sets import DATA, RANK, _rows, assert_lines_and_small_talk_hold


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# A game or a film shows fires, shots and explosions; none is an event.
@pytest.mark.parametrize(
    "text",
    [
        "和平精英里怎么才能开枪打得准",
        "我的世界里怎么放火烧森林",
        "女儿在玩蛋仔派对 里面一直有爆炸声",
        "昨晚看的那部战争片 枪声太逼真了",
        "周末带孩子去看了个灾难片 整栋楼着火的场面太吓人",
    ],
)
def test_a_game_or_a_film_gets_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


# ... but a danger in the room where someone plays stays one.
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("孩子在网吧打游戏 突然有人拿刀砍人", "110"),
        ("孩子玩游戏时 家里着火了", "119"),
        ("孩子在打游戏 着火了 快来人", "119"),
        ("儿子在屋里打游戏 着火了", "119"),
        ("楼下的游戏厅里有人开枪了", "110"),
    ],
)
def test_a_danger_beside_a_game_keeps_its_line(text: str, number: str) -> None:
    assert number in _line(text)
    assert classify(text).severity == "critical"


# Self-harm words beside a game stay a warning sign with their line.
@pytest.mark.parametrize("text", ["玩游戏输了 我不想活了", "王者荣耀又输了 气得我想跳楼"])
def test_self_harm_beside_a_game_keeps_its_line(text: str) -> None:
    assert {"120", "110"} <= set(_line(text))
    assert classify(text).severity == "critical"


# Figures of speech: debts and homework that leave one breathless, a phone or a game one is
# "poisoned" by.
@pytest.mark.parametrize(
    "text",
    [
        "每个月车贷压得人喘不过气",
        "期末作业多得透不过气",
        "我老公刷短视频中毒了 天天刷到半夜",
        "孩子打游戏中毒了 成绩一落千丈",
    ],
)
def test_a_figure_of_speech_gets_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("孩子吃了手机电池中毒了", "120"),
        ("我被压在倒塌的棚子下面 喘不过气", "120"),
    ],
)
def test_a_real_poisoning_or_crush_keeps_its_line(text: str, number: str) -> None:
    assert number in _line(text)


# A question about first aid names a harm as its topic.
@pytest.mark.parametrize(
    "text",
    ["中暑急救是先喝水还是先降温", "烫伤后急救到底要不要涂牙膏", "心梗急救的正确方法是什么"],
)
def test_a_first_aid_question_gets_no_line(text: str) -> None:
    assert _line(text) == ()
    assert classify(text).severity == "low"


@pytest.mark.parametrize(
    ("text", "number"),
    [("有人溺水了 急救车怎么还不来", "120"), ("孩子需要急救吗 他喘不上气了", "120")],
)
def test_first_aid_asked_for_now_keeps_its_line(text: str, number: str) -> None:
    assert number in _line(text)


# A device's beep is no bomb ticking; a suspicious package's is.
@pytest.mark.parametrize(
    "text",
    [
        "家里燃气报警器电池没电了 一直滴滴叫",
        "电动车充电器一直滴滴响 是不是坏了",
        "楼上的闹钟一大早就滴滴响 吵死了",
    ],
)
def test_a_device_beeping_gets_no_line(text: str) -> None:
    assert _line(text) == ()


def test_a_package_ticking_still_calls_the_police() -> None:
    assert "110" in _line("楼道里有个可疑包裹一直滴滴响")


# Water rescue: someone struggling in the water gets 119 (the fire and rescue teams do
# water rescue in China), 110 and 120; a fish does not.
@pytest.mark.parametrize("text", ["水库中间有个人在扑腾 快", "江里有个老人往下沉"])
def test_someone_struggling_in_water_gets_119_110_and_120(text: str) -> None:
    assert set(_line(text)) >= {"119", "110", "120"}


def test_a_fish_struggling_in_the_river_gets_no_line() -> None:
    assert _line("河里的鱼被网住了还在挣扎") == ()


# Lost in the hills now: 110 leads the search, 119 does mountain rescue.
@pytest.mark.parametrize(
    "text", ["我们三个在深山里迷路了 手机快没电了", "爸爸在山上迷了路 天快黑了"]
)
def test_lost_in_the_hills_now_gets_110_and_119(text: str) -> None:
    assert set(_line(text)) >= {"110", "119"}
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    ["下周想去后山爬山 会不会迷路", "去年在后山迷路过一次 后来自己走出来了", "山里信号不好 怕迷路"],
)
def test_a_fear_or_a_past_trip_of_getting_lost_gets_no_line(text: str) -> None:
    assert _line(text) == ()


# Warnings: a rumour acted on, a threat to fight it out, a group blocking a gate.
def test_a_denied_rumour_that_parents_act_on_is_medium() -> None:
    text = "家长群里有人说学校食堂出了食物中毒 校方说没这回事 可好多家长已经要求停课"
    assert classify(text).severity == "medium"


def test_a_threat_to_fight_it_out_is_medium_and_hard_work_is_not() -> None:
    threat = "两家为了地界吵了好几年 今天在地头又骂起来 他说要跟对方拼了"
    assert classify(threat).severity == "medium"
    assert classify("我拼了老命加班也没拿到奖金").severity == "low"


def test_a_group_standing_in_a_gate_is_high_and_a_lorry_is_not() -> None:
    assert classify("二十多个工人堵在厂门口要工资 货车出不去").severity == "high"
    assert RANK[classify("一辆货车堵在小区门口 进不去出不来").severity] < RANK["high"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("这种情况找谁", "vague"),
        ("问下", "vague"),
        ("我想打官司", "vague"),
        ("打官司怎么弄", "request"),
        ("这种树能砍吗", "request"),
        ("麻烦问下社保卡怎么补办", "request"),
    ],
)
def test_this_kind_of_matter_is_vague_and_how_to_sue_is_a_request(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


def test_set_o_warnings_stay_where_they_were_tuned() -> None:
    """Set o's 100 warnings (30 critical). Unseen on main: critical 30/30, exact 0.90,
    under-rated 3, over-rated 7. In-sample since branch i13gg: critical 30/30, exact 0.93,
    under-rated 0, over-rated 7."""
    rows = _rows(DATA / "blind13o_warnings.tsv")
    got = [(classify(r["text"]).severity, r["severity"]) for r in rows]
    critical = [g for g, want in got if want == "critical"]
    assert len(rows) == 100 and len(critical) == 30
    assert all(g == "critical" for g in critical)
    assert sum(g == want for g, want in got) >= 93
    assert sum(RANK[g] < RANK[want] for g, want in got) == 0
    assert sum(RANK[g] > RANK[want] for g, want in got) <= 7


def test_set_o_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    """Set o unseen on main: the emergency line for 65/65 dangers now, the right number
    63/65, false alarms 7/65, small talk 80/80, vague 23/25, requests mistaken 1/100.
    In-sample since branch i13gg: right number 65/65, false alarms 0/65, vague 25/25,
    requests mistaken 0/100."""
    assert_lines_and_small_talk_hold("o")
