"""A danger told as now in one sentence in the middle of a long story (issue 13, i13mm).

A citizen writing at length about a neighbour dispute tells, in the middle, that the
neighbour's kitchen is on fire right now, then goes on about the dispute: the letter
reading must not take that sentence for background. Told as past (去年, 那次, 以前) it stays
background. Wordings written for this test; the long stories are padded to 300-800 characters.
"""

from __future__ import annotations

import pytest

from nlp.emergency import detect
from nlp.normalize import normalize
from nlp.severity import assess_severity

_BEFORE = (
    "我想反映一下我们楼下邻居的问题。他们家一直在院子里和楼道里堆放纸箱、旧家具，占用公共通道，"
    "我们跟他们沟通了很多次，他们就是不听，还说这是他们家的地方，物业也说管不了，社区来调解过两次也没有用。"
    "我家老人腿脚不好，每次出门都要绕过那些东西，非常不方便，孩子上学也得侧着身子走。"
    "我们也打过热线，接线员说会转给街道，可是街道的人来看了一眼就走了。"
)
_AFTER = (
    "这种情况已经好长时间了，我们真的很无奈，希望政府能出面协调，让他们把杂物清理掉，恢复公共通道，"
    "也希望社区多关心一下我们这些老住户的实际困难。另外他家晚上打麻将打到半夜，我们第二天还要上班，真的受不了。"
    "我们不是不讲道理的人，邻里之间本来应该互相体谅，恳请有关部门尽快处理，给我们一个说法，谢谢。"
)


def _story(middle: str, repeat: int = 1) -> str:
    text = _BEFORE * repeat + middle + _AFTER * repeat
    assert 300 <= len(normalize(text)) <= 800
    return text


NOW = [
    ("对了，他家厨房着火了，烟正从窗户往外冒。", "fire", "119"),
    ("此時他家廚房冒出濃煙，火苗已經竄出窗外了。", "fire", "119"),
    ("我在写这些的时候，听见外面喊他家老人倒在地上了，一动不动。", "injury", "120"),
    ("我現在就站在他家門口，他家老爺子倒在地上叫不醒。", "injury", "120"),
    ("他儿子拎着菜刀在楼道里追着邻居砍，现在还在砍。", "violence", "110"),
    ("他兒子拿著刀在樓下跟人打起來，現在還在打。", "violence", "110"),
    ("他家三岁的孙子掉进门口的河里了，在水里扑腾。", "water", "110"),
    ("他家小孫子剛從岸邊掉進池塘裡了，沒人會游泳。", "water", "110"),
    # told by the time of writing or by a scene under way, with no now word before the danger
    ("就在我写信的时候，他家厨房起火了。", "fire", "119"),
    ("他家那间老房子烧起来了，火越烧越大。", "fire", "119"),
    ("寫到這裡，樓下他家老太太暈倒了，人已經沒意識了。", "injury", "120"),
    ("他儿子用刀把来劝架的邻居捅了，血流了一地。", "violence", "110"),
    ("他家孩子在河边玩，掉水里了，还没救上来。", "water", "110"),
]


@pytest.mark.parametrize(("middle", "kind", "number"), NOW)
@pytest.mark.parametrize("repeat", [1, 2])
def test_a_danger_told_now_mid_story_gets_the_line_and_critical(
    middle: str, kind: str, number: str, repeat: int
) -> None:
    text = _story(middle, repeat)
    emergency = detect(text)
    assert emergency is not None, middle
    assert number in emergency.services
    assert emergency.line.startswith("⚠️")
    assert assess_severity(text).level == "critical"


PAST = [
    "去年他家厨房着火了，烟从窗户冒出来，把我家也熏黑了。",
    "那次他家老人倒在地上，还是我们叫的救护车。",
    "以前他儿子就拿着菜刀在楼道里追着人砍，现在还在砍价的事上跟人吵。",
    "前年他家孩子掉进池塘里了，幸好被救上来了。",
    "以前他家廚房著過火，冒出濃煙，大家都嚇壞了。",
    "他家老人以前经常倒在地上，那时候也没人管。",
    "前年冬天他家那间老房子烧起来了，火越烧越大，烧了一整夜。",
    "他家老太太那次晕倒了，人已经没意识了，送医院才救回来。",
    "他儿子去年用刀把邻居捅了，血流了一地，后来判了三年。",
]


@pytest.mark.parametrize("middle", PAST)
def test_a_danger_told_as_past_mid_story_stays_background(middle: str) -> None:
    text = _story(middle)
    assert detect(text) is None, middle
    assert assess_severity(text).level != "critical"


def test_rubbish_dumped_on_the_ground_is_no_one_collapsing() -> None:
    text = _story("垃圾直接倾倒在地上，成堆没人清理，臭气熏天。")
    assert detect(text) is None
    assert assess_severity(text).level != "critical"
