"""Duty rules of issue 14's stop 29 (branch i14n): classes of wording that probe R (tuning data
since stop 29) showed missing, and district decisions found in the contest's build rows.

Messages written for this test from the bureaus' duties (DESIGN.md, config/district.toml) and
the district decisions in docs/classifier.md ("Stop 29"), not copied from probe R or any
evaluation row. Each class has at least one wording; the look-alikes below guard the
exceptions the rules carry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.classify import classify
from nlp.evaluate import read_bureau_set
from nlp.lexicon import LEXICON_PATH, load_lexicon
from nlp.segment import segment
from tests.routingkit import assert_reaches, assert_stays_out
from tests.segmentkit import dictionary_restored, dictionary_size
from tests.test_nlp_stop25_sets import DATA, EVAL_DIR, _rows

ROUTES = [
    # 信访局: a reception day, a letter's progress, a leader's mailbox, a collective visit's
    # procedure, a matter passed from office to office
    ("听说区里每个月有一天领导接待日，我想去反映我家拆迁的事，需要提前登记吗", "petition"),
    ("去年寄给信访办的信有个编号，我想知道现在到哪一步了", "petition"),
    ("给区长信箱写了三次信都没人回，到底有没有人看", "petition"),
    ("我们村二十多户想一起反映水库移民补助的事，听说要推选代表，具体怎么弄", "petition"),
    ("我的诉求被转办了三次，每个部门都说不归自己管，能不能督办一下", "petition"),
    # 司法局: a released prisoner's work, legal aid refused
    ("我弟弟从监狱出来两个月了，找工作处处碰壁，有没有什么帮扶", "justice"),
    ("我去申请法律援助，说我的收入超标不符合条件，可我真的请不起律师", "justice"),
    # 人事局: a post on the public payroll on probation, a transfer between public units
    ("考上了事业单位，试用期满了单位迟迟不给转正定级", "personnel"),
    ("我在乡镇上班，想调到县城的单位，需要哪些手续", "personnel"),
    # 法院: an arbitral award the employer ignores
    ("仲裁赢了，厂里就是不给钱，听说可以申请强制执行，去哪里申请", "court"),
    # 劳动局: sick leave held against a worker
    ("我请了一周病假，公司说我旷工要扣三天工资", "labor"),
    # 公安分局: drinking and shouting late at night, a driving licence in pinyin
    ("隔壁出租屋的人天天深夜喝酒划拳，吵得整栋楼睡不着", "police"),
    ("jiazhao guoqi le 在哪里换", "police"),
    # 规划分局: a park on the plan turned into flats
    ("小区旁边原来说好建公园的地，现在要盖楼了，这规划能随便改吗", "planning"),
    # 环保局: air quality figures
    ("我们镇上的空气质量怎么样，哪里能查到每天的数据", "environment"),
    # 民政局: a street name sign
    ("新修的那条路路名牌上的字印错了，该找谁改", "civil_affairs"),
    # district decisions from the contest's build rows: city management is not the traffic
    # police, street cleaning stays with 建设局 even at a crossing, a public employee's
    # allowance is 人事局's, the insurance of farmers whose land was taken is 劳动局's
    ("城管把我停在店门口的三轮车拖走了，罚了两百块也不给收据", "planning"),
    ("环卫所的洒水车早高峰在红绿灯路口洒水，骑车的人被淋一身", "construction"),
    ("我是派出所的民警，去年的执勤津贴和加班津贴到现在还没发", "personnel"),
    ("我们是被征地农民，失业保险到底能不能交，人社局说不归他们", "labor"),
    # a building firm's borrowed qualification is the construction market's; rubbish by a
    # school's gate is street cleaning
    ("那家装修公司是挂靠别人的建筑资质接的活，出了问题谁来查", "construction"),
    ("实验小学门口的垃圾桶一个星期没人清，学校门口臭得很", "construction"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    assert_reaches(text, bureau)


@pytest.mark.parametrize(
    ("text", "not_bureau"),
    [
        # an SMS or a credit record is no letter to the office
        ("银行发短信说我的信用卡逾期了，征信会不会受影响", "petition"),
        # a prisoner's sentence cut by connections is the procuratorate's, not resettlement
        ("那个人在监狱里才待了一年就减刑出来了，听说找了关系，现在又回去工作了", "justice"),
        # a teacher moved between schools is the school's matter, not a payroll transfer
        ("我是小学老师，想从村小调到镇上的学校，要走什么流程", "personnel"),
        # a husband who drinks at night is a family matter, not public order
        ("我老公天天深夜喝酒回来就骂人，我想找人调解一下", "police"),
        # a barbecue stall's drinkers at night are a street stall, not public order
        ("楼下烧烤摊每天深夜都有人喝酒划拳，油烟也大", "police"),
        # a square-dance contest is a cultural event, not noise at night
        ("社区组织广场舞比赛，晚上在文化广场举行决赛，想邀请市民来看", "police"),
        # a tree blown onto a car is the greening department's, not a crime
        ("昨晚大风把路边的大树吹倒了，砸坏了停在树下的车", "police"),
        # a park's entry fee is no change of plan
        ("公园改成收费的了，门票二十块，老人晨练也要买票", "planning"),
    ],
)
def test_a_look_alike_stays_out(text: str, not_bureau: str) -> None:
    assert_stays_out(text, not_bureau)


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_words_that_occur_in_no_message_change_no_cut_and_no_answer(tmp_path: Path) -> None:
    # jieba adds every added word's frequency to the total it divides by, so keywords that
    # occur in no message moved the cut of others (at stop 29 about thirty such words changed
    # the answer to a real held-out letter); the lexicon's segment_total pins that total
    # (docs/classifier.md, "Stop 29"). Without it, these 3,000 words change the cut of
    # several real letters.
    assert EVAL_DIR is not None
    text = LEXICON_PATH.read_text(encoding="utf-8")
    unseen = ", ".join(f'"鼗{chr(0x4E00 + k)}鼙"' for k in range(3000))
    rule = f'\n[[rules]]\nwith_any = [{unseen}]\nadd = {{ "general/petition" = 0.5 }}\n'
    marker = "# ==== mined section"
    edited = tmp_path / "lexicon.toml"
    edited.write_text(text.replace(marker, rule + marker, 1), encoding="utf-8")
    texts = [c.text for c in read_bureau_set(EVAL_DIR / "teddy2020-bureau-dev.tsv")]
    texts += [r["text"] for r in _rows(DATA / "probe_r_citizen_messages.tsv")]
    before = [(c.bureau, c.confidence) for c in map(classify, texts)]
    cuts = [segment(t) for t in texts]
    size = dictionary_size()
    with dictionary_restored():
        lexicon = load_lexicon(edited)  # its words join the one process-wide segmenter
        after = [(c.bureau, c.confidence) for c in (classify(t, lexicon) for t in texts)]
        assert [segment(t) for t in texts] == cuts
        assert dictionary_size() != size  # the 3,000 words did join it
    assert after == before
    # and left it again: no later test in this process meets them
    assert dictionary_size() == size
    assert [(c.bureau, c.confidence) for c in map(classify, texts)] == before
