"""Stop 29's triage set p (``blind13p_*``): written by a helper who saw only DESIGN.md, the
seed and issue 13, never the code or the lexicon, and scored by the lead, unseen, on main
cd9db32 before any change of stop 29 and again on the merged main of stop 29 (the same both
times): warnings critical 29/30 with one rated **low** (a long report whose news, last, is a
man on a rooftop's edge: 刚才保安看见他爬上了对面那栋楼的顶，坐在边沿上不下来 — 老伴常年吃药 in the
background was read as self-harm and timed the report as background), exact 0.89, under-rated
7; emergencies the line for 63/65 (小孩掉进下水井了 and a scammer at the door: none), right
number 62, false alarms 1/65 (a sticker of someone crying 救命); small talk 80/80, vague 25/25,
requests mistaken 0/100.

**Tuning data since** (branch lead29b): medicine taken for an illness is no self-harm, a roof
told apart (楼的顶) and an edge one will not come down from are self-harm's scenes, a near miss
into a manhole (差点掉进) is no fall, a placard of grievance held up is a collective act.
In-sample after: critical 30/30, exact 0.90, under 6, line 63/65. Still failing (not fixed): a
child fallen into a manhole told person first (小孩掉进下水井了: a combo for it cost the danger
model three held-out dangers of train13b, so it was left out), the scammer at the door (110),
the sticker's 救命 (a strong now word overrides the look-alike), 隔壁老太太三天没出门 (119,
written 110+120), and five
under-rated warnings (a threat after a settled fight, an outburst tearing a form, a signature
drive, twelve people waiting to see the chief, a plan to block a road told with 把)."""

from __future__ import annotations

import pytest

from nlp.classify import classify
from nlp.emergency import detect
from tests.test_nlp_stop25_sets import assert_lines_hold, assert_warnings_hold


def test_set_p_warnings_stay_where_they_were_tuned() -> None:
    assert_warnings_hold("p", exact=90, under=6)


def test_set_p_emergencies_and_small_talk_stay_where_they_were_tuned() -> None:
    assert_lines_hold("p", lines=63, right=None, false_alarms=1)


@pytest.mark.parametrize(
    "text",
    [
        "刚才保安看见他爬上了对面那栋楼的顶，坐在边沿上不下来",
        "家里老人常年吃药，儿子不管。今天上午他又来闹了一场，说完就走了，刚才有人看见他站在"
        "楼顶边缘上，叫也不下来，我们已经上去了，请求支援，人还在上面坐着一动不动，风很大",
        "孩子坐在窗台边沿不下来 怎么叫都不理",
        "救命啊 有人掉进化粪池了",
    ],
)
def test_a_scene_of_set_p_is_critical_with_a_line(text: str) -> None:
    assert classify(text).severity == "critical"
    assert detect(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "老伴常年吃药 医保报销比例太低了",
        "孩子差点掉进下水井 井盖一直没人修",
        "我的钥匙掉进下水井了",
        "房顶漏水了 师傅爬上房顶修了一下午",
    ],
)
def test_a_look_alike_of_set_p_gets_no_line(text: str) -> None:
    assert detect(text) is None
    assert classify(text).severity != "critical"
