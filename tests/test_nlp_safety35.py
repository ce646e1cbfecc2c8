"""Issue 13, safety of the emergency line (branch safety35).

A message telling danger now gets its emergency numbers first; a danger under-rated or a number
lost is far worse than a false alarm, and the harmless look-alike of each class keeps no line.
Sentences of our own, by class:

1. A story's clause hides no danger told after it: a correction (不是，是…) or a present word
   opens a clause read on its own (``[modifiers] corrections``, nlp.clause_time.reopened_at); a
   person shut in and not answering after a wish to die is self-harm now (``shut_in``,
   ``unanswered``). A story alone, corrected about itself or a diary told as past stays harmless.
2. A drowning now told person first (学生在河中间喊救命) is water rescue, 119, 110 and 120 as
   every drowning now; a medicine or a drink taken, then the person unresponsive, is 120.
3. Charcoal or a coal stove's fumes overcoming people: 120 first, 110 too (family ``fumes``);
   smoke with people fainting: 119 and 120 (family ``toxic_leak``).
4. A common cold counted among several people is no life at risk (nlp.model_evidence.cold_only).
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect


def _line(text: str) -> tuple[str, ...]:
    found = detect(text)
    return () if found is None else found.services


# 1. A story, then danger now.
@pytest.mark.parametrize(
    "text",
    [
        "课文里讲的那个人跳河了，不是，是我同学现在要跳河",
        "课文里那个人跳河了，不对，是我同学要跳河",
        "作文里写的那个人要跳楼，不是，是我室友现在站在楼顶要跳楼",
        "日记里写过他想死，今天他把自己锁在房间里，喊不应",
        "他上周说活着没意思，现在把自己反锁在卫生间，敲门没反应",
        "我妈昨天说不想活了，刚才把自己关在屋里，叫她也不应",
    ],
)
def test_danger_after_a_story_or_a_wish_gets_police_and_ambulance(text: str) -> None:
    assert {"110", "120"} <= set(_line(text))
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "课文里讲的那个人跳河了",
        "课文里有人跳河",
        "课文里讲的那个人跳河了，不是，是跳江",
        "日记里写过他想死",
        "日记里写过他想死，后来他慢慢好起来了",
        "故事里的小孩掉河里了，不对，是掉井里了",
    ],
)
def test_a_story_alone_keeps_no_line(text: str) -> None:
    assert detect(text) is None


# 2. A drowning now told person first; a person unresponsive after a medicine or a drink.
@pytest.mark.parametrize(
    "text",
    [
        "这条河淹死过好几个人，现在又有一个学生在河中间喊救命",
        "有个小孩在水库里挣扎",
        "去年这里淹死过人，现在有个老人在塘里往下沉",
    ],
)
def test_a_drowning_now_told_person_first_gets_water_rescue(text: str) -> None:
    assert set(_line(text)) == {"119", "110", "120"}
    assert _line(text)[0] == "119"


@pytest.mark.parametrize(
    "text",
    [
        "我妈吃了药没反应了",
        "我爸喝了半瓶白酒加安眠药叫不醒",
        "奶奶吃错药了现在昏过去了",
        "爷爷降压药吃多了现在叫不醒",
        "老公喝了酒又吃了头孢，现在口吐白沫",
        "我姐吃了安定，人没反应",
    ],
)
def test_a_person_unresponsive_after_a_medicine_gets_an_ambulance_first(text: str) -> None:
    assert _line(text)[:1] == ("120",)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "吃了药好多了",
        "药吃完了没反应过来要去买",
        "手机没反应了",
        "吃了药会不会晕倒",
        "我妈吃了药睡着了",
        "吃了药没反应，还是疼",
    ],
)
def test_a_medicine_or_a_device_told_harmlessly_keeps_no_line(text: str) -> None:
    assert detect(text) is None


# 3. Fumes overcoming people.
@pytest.mark.parametrize(
    "text",
    [
        "工棚里烧炭烤火，两个工人晕倒在地上",
        "屋里生着炭火盆，老两口都叫不醒了",
        "宿舍里烧炭取暖，室友昏过去了",
        "烧炭取暖 爷爷现在昏迷不醒",
    ],
)
def test_charcoal_fumes_overcoming_people_get_ambulance_first_and_police(text: str) -> None:
    line = _line(text)
    assert line[:1] == ("120",)
    assert "110" in line


@pytest.mark.parametrize(
    "text",
    [
        "化工厂排放浓烟，有人晕倒了",
        "化工厂在排放浓烟 路过的人晕倒了两个",
        "车间冒浓烟，有工人昏迷了",
    ],
)
def test_smoke_with_people_fainting_gets_fire_rescue_and_ambulance(text: str) -> None:
    assert {"119", "120"} <= set(_line(text))


@pytest.mark.parametrize(
    "text",
    [
        "冬天用炭火盆取暖容易让人昏迷吗",
        "我烤火烤得晕乎乎的",
        "问一下，烧炭取暖要注意啥",
    ],
)
def test_fumes_asked_about_keep_no_line(text: str) -> None:
    assert detect(text) is None


# 4. A common cold counted among several people.
@pytest.mark.parametrize("text", ["班里好几个孩子感冒发烧", "一家三口都感冒了"])
def test_a_common_cold_is_no_critical(text: str) -> None:
    assert detect(text) is None
    assert classify(text).severity != "critical"


@pytest.mark.parametrize(
    "text",
    [
        "好几个孩子感冒发烧，有两个住院了",
        "孩子感冒了 救命 喘不上气",
        "宝宝感冒了，现在高烧40度",
    ],
)
def test_a_cold_with_a_grave_sign_keeps_its_ambulance(text: str) -> None:
    assert "120" in _line(text)
    assert classify(text).severity == "critical"


@pytest.mark.parametrize("text", ["围巾围上", "拧开矿泉水喝了几口"])
def test_harmless_short_texts_are_no_critical(text: str) -> None:
    assert detect(text) is None
    assert classify(text).severity != "critical"
