"""Stop 28: set m's misses and ordinary requests rated critical, answered by classes of wording.

Set m (``blind13m_*``) and probes O and P are tuning data since stop 28 (branch i13aa); each
rule below is a kind of wording, shown with wordings written for this test (never a sentence
of set m or the probes) and with the look-alikes that must keep their emergency line or their
level: no rule may make a danger now miss its line or a critical warning fall below high.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from nlp.severity import assess_severity

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def _line(text: str, number: str) -> None:
    found = detect(text)
    assert found is not None and number in found.services, (text, found)


# --- Hanging or strangling told by the scene --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "他在楼道里解下皮带往水管上挂，邻居看见了在拉他",
        "大爷拿绳子往门框上甩了两下，要往上挂",
        "她在宿舍用床单撕成布条搓成绳子",
        "我爸拿围巾套脖子，我妈拦着呢",
        "一个男的把数据线套在脖子上往窗框上拴",
    ],
)
def test_a_hanging_told_by_the_scene_is_critical_with_the_line(text: str) -> None:
    assert classify(text).severity == "critical", text
    _line(text, "120")


@pytest.mark.parametrize(
    "text",
    ["冬天出门把围巾在脖子上绕一圈就暖和了", "孩子脖子上挂着钥匙去上学", "领带怎么系比较好看"],
)
def test_a_scarf_worn_or_a_key_on_a_string_is_no_hanging(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity == "low", text


def test_a_scarf_hung_to_dry_is_no_hanging_by_the_rubric() -> None:
    # no 往…上: the rubric reads nothing (the learned model's own reading is not this rule's)
    text = "把洗好的围巾挂在暖气片旁边烘干"
    assert assess_severity(text, learned=False).level == "low"
    assert detect(text) is None


# --- Labour and a pregnancy in danger -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "媳妇怀孕六个月 刚才在浴室摔倒了 流了好多血",
        "我老婆怀着孕 突然疼得受不了 一直喊",
        "老婆破水了 离预产期还有两周",
        "孩子还没到预产期 我媳妇羊水破了 人在出租屋",
    ],
)
def test_labour_or_a_pregnancy_in_danger_gets_120(text: str) -> None:
    assert classify(text).severity == "critical", text
    _line(text, "120")


@pytest.mark.parametrize(
    "text", ["怀孕五个月了 想问产检在哪家医院建档", "老婆预产期下个月 准生证去哪办"]
)
def test_a_pregnancy_asked_about_is_no_emergency(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity == "low", text


# --- Dreams and videos watched are no danger now ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "做了个噩梦 梦见楼塌了 吓出一身汗",
        "昨晚梦到家里进小偷了 现在还心有余悸",
        "刚才梦见隔壁着火了 吓醒了",
        "刚刷到一个有人掉进冰窟窿里的视频 太吓人了",
        "刚看完一个心肺复苏的教学视频 学到了",
    ],
)
def test_a_dream_or_a_video_watched_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize("text", ["做了个噩梦 梦见楼塌了 吓出一身汗", "刚才梦见隔壁着火了 吓醒了"])
def test_a_dream_is_not_rated_critical(text: str) -> None:
    assert RANK[classify(text).severity] <= RANK["medium"], text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("做了个噩梦，醒来发现屋里全是烟", "119"),
        ("我在家看完视频，一抬头发现厨房着火了", "119"),
        ("梦见什么都不记得了，现在我爸倒在地上叫不醒", "120"),
        ("刚刷完视频，楼下就着火了，烟很大", "119"),
    ],
)
def test_a_danger_woken_up_to_keeps_its_line(text: str, number: str) -> None:
    # A dream or video word reaches its own clause only: what is told after it may be now.
    _line(text, number)


# --- Sign-ups are planned, not gathered ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "业主群里两百多人接龙报名，约好周日上午去区政府门口讨说法",
        "响应的已经有一百五十多人了，说好明早八点到街道办集合",
        "拆迁户群里三百多人报名了，下周一起去市里反映",
    ],
)
def test_a_group_planned_with_many_sign_ups_is_high(text: str) -> None:
    assert classify(text).severity == "high", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    ["小区群里发起联名反对建基站，已经五百多人签名了", "网上倡议书转了好几个群，两百多人签了名"],
)
def test_an_online_petition_of_hundreds_is_medium(text: str) -> None:
    assert classify(text).severity == "medium", text


@pytest.mark.parametrize(
    "text",
    [
        "现在一百多人堵在区政府门口不让车进",
        "上百名工人此刻正聚集在厂门口，已经有人推搡",
        # sign-ups that have gathered are a crowd now
        "报名的两百多人现在正聚集在区政府门口",
        "群里一百五十多人接龙，现在已经有人把街道办大门堵了",
    ],
)
def test_a_crowd_of_a_hundred_gathered_now_stays_critical(text: str) -> None:
    assert classify(text).severity == "critical", text


@pytest.mark.parametrize(
    "text",
    ["8名老师联名到教育局反映工资问题", "十几名村民联名准备举报村干部，打算下周交材料"],
)
def test_signing_together_on_the_way_to_an_office_stays_collective(text: str) -> None:
    assert classify(text).severity == "high", text


# --- Past self-harm, out of danger and calm, is medium ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "上个月在村委会喝了农药的老刘，已经出院了，情绪基本稳定，家里人还在闹补偿",
        "前期割腕的那个女孩已经脱离危险，社工每周去看她",
    ],
)
def test_past_self_harm_out_of_danger_is_medium(text: str) -> None:
    assert classify(text).severity == "medium", text
    assert detect(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "昨天喝药的老周抢救过来了还在医院，家里人说要抬人去镇上",
        "上周说要跳河的大姐出院了，今天又说不想活了",
        "她上个月吞过安眠药，现在又把自己锁在屋里不开门",
        "上周割腕的小伙子出院了，刚才又在宿舍割了一次",
    ],
)
def test_self_harm_still_at_risk_stays_critical(text: str) -> None:
    assert classify(text).severity == "critical", text


# --- A gathering told calm after a past death --------------------------------------------


def test_a_calm_gathering_after_a_death_is_high() -> None:
    text = "卫生院一名老人前天输液后死亡，今天家属二十来人在门口拉了横幅，暂未发生冲突"
    assert classify(text).severity == "high"


def test_a_gathering_with_a_scuffle_after_a_death_stays_critical() -> None:
    text = "卫生院一名老人前天输液后死亡，今天家属二十来人在门口拉横幅，跟保安推搡起来了"
    assert classify(text).severity == "critical"


# --- A missing person needs a person ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "申请交上去两个月了，到现在没消息",
        "材料递上去半年了，至今没消息，打电话也联系不上经办的",
        "快递寄出去一个礼拜了 到现在找不到",
        "我家狗走丢了",
    ],
)
def test_a_case_with_no_news_is_no_missing_person(text: str) -> None:
    assert detect(text) is None, text
    assert RANK[classify(text).severity] <= RANK["medium"], text


@pytest.mark.parametrize(
    "text",
    [
        "我儿子早上去上学，到现在联系不上",
        "老伴下午出去遛弯，到现在没回来",
        "人到现在还没找着，手机也关机了",
        "邻居失踪了三天了",
        "商场里一个小女孩走丢了 在哭",
    ],
)
def test_a_person_with_no_news_is_still_missing(text: str) -> None:
    _line(text, "110")


# --- Requests about a danger that is over -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "去年家里失火把房子烧了，有没有重建的补助",
        "爱人前年出车祸走了，孩子的助学补贴去哪申请",
        "上礼拜店里起过一次火，保险理赔要准备什么材料",
        "打架被人打伤了，伤情鉴定要去哪里做",
    ],
)
def test_a_question_about_a_danger_over_is_no_emergency(text: str) -> None:
    assert detect(text) is None, text
    assert classify(text).severity == "medium", text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("家里着火了 现在怎么办", "119"),
        ("我被人打伤了，现在还在流血，怎么办", "120"),
        ("去年着过一次火，今天又着火了，怎么办", "119"),
    ],
)
def test_a_danger_now_asked_about_keeps_its_line(text: str, number: str) -> None:
    _line(text, number)
    assert classify(text).severity == "critical", text


@pytest.mark.parametrize(
    "text",
    [
        "昨晚孩子掉进河里了 到现在还没找到 怎么办",
        "前天吃了野蘑菇 一家人上吐下泻 有没有解毒的办法",
        "昨天工地塌方埋了两个人 还没挖出来 怎么办",
    ],
)
def test_a_danger_begun_lately_or_going_on_asked_about_stays_critical(text: str) -> None:
    assert classify(text).severity == "critical", text


# --- Look-alikes of a crime or a fire in ordinary requests --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "听说要停水，小区门口超市的矿泉水都被抢光了",
        "楼上楼下三户因为漏水互相堵门",
        "我哥在拘留所里被人打了，谁来管",
        "派出所把我关了一天一夜，也没给任何手续",
        "两家为宅基地的事差点打起来，希望村里来调解",
        "有人往村口的沟里倒废机油，水都黑了",
        "路边停了一辆破三轮，一放就是三个月",
        "村后的砖窑烧煤，烟大得睁不开眼",
    ],
)
def test_a_complaint_that_looks_like_a_crime_or_a_fire_gets_no_line(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("烟囱那边冒黑烟，是我们小区的锅炉房着了", "119"),
        ("有人在超市抢了我的包，往东边跑了", "110"),
        ("楼下两伙人现在打起来了，有人头破了", "110"),
    ],
)
def test_a_crime_or_a_fire_now_keeps_its_line(text: str, number: str) -> None:
    _line(text, number)
