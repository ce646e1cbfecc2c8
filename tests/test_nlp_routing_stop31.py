"""Duty rules of issue 14's stop 31 (branch i14p), and probes U, V and W guarded where they stand.

Three blind probes of 240 citizen messages each, written by helpers who never saw the code, the
lexicon or the eval data: U (written at stop 30, scored unseen by the lead, released at stop 31),
V and W (written for stop 31). Bureau right / room right / answers with confidence >= 0.8 right
of given, on main 2369c81 before any change, and at the end of the stop:

* U: room 212 (0.883), bureau 209 (0.871), 166/168 → room 217 (0.904), bureau 214 (0.892),
  171/173. Tuning data since stop 31.
* V: room 218 (0.908), bureau 214 (0.892), 169/173 → room 227 (0.946), bureau 224 (0.933),
  174/175. Tuning data: its misses were read before W was scored.
* W: room 222 (0.925), bureau 218 (0.908), 161/169. **Held-out estimate**: scored once after
  every change drawn from U and V was made, before any of its rows was read — room 222 (0.925),
  bureau 218 (0.908), 163/171: the rules written from U and V moved no bureau of W (two more
  right answers reached 0.8). Then its misses were read and answered (in-sample since):
  room 229 (0.954), bureau 227 (0.946), 166/168.

The target for blind citizen messages (bureau >= 0.90, room >= 0.93) is met in-sample on V and W
and missed on U (room 0.904, bureau 0.892); the honest estimate for a new writer is W's held-out
bureau 0.908 / room 0.925 (met for the bureau, missed for the room). The guards hold the end
figures as floors.

The messages of ROUTES and LOOK_ALIKES were written for this test from the bureaus' duties, not
copied from a probe or an evaluation row.
"""

from __future__ import annotations

import pytest

from nlp.classify import classify
from tests.test_nlp_stop25_sets import assert_probe_holds

ROUTES = [
    # 检察院: how a case was handled — an officer or judge who favours one side, shields,
    # strikes, has a blank statement signed, is related to the other side; a vehicle kept with
    # no papers; an organ asked to sue for the public (public-interest litigation)
    ("那个交警跟肇事司机是亲戚，事故认定书完全偏袒他那边", "procuratorate"),
    ("我们怀疑派出所所长包庇打人的那伙人，报了几次都不了了之", "procuratorate"),
    ("我哥在派出所被审讯了一整夜，出来胳膊上都是淤青", "procuratorate"),
    ("我爸被带去派出所问话，办案的警察还动手扇了他几个耳光", "procuratorate"),
    ("做笔录的时候警察让我先在空白的地方签名，说剩下的他们回头补上", "procuratorate"),
    ("审我们案子的法官跟对方老板是亲戚，开庭时一直不让我说话", "procuratorate"),
    ("处理纠纷的民警是对方的表哥，调解时明摆着向着他们", "procuratorate"),
    ("派出所说要调查把我的三轮车扣走了，一年了没开任何手续也不还", "procuratorate"),
    (
        "镇上的化工厂把废水排进水库好几年了，罚完款照样排，有没有哪个机关能替老百姓去告它",
        "procuratorate",
    ),
    ("那条河被养殖场污染成这样，能不能请个部门代表老百姓起诉他们", "procuratorate"),
    # 公安分局: identity card, temporary plates, residence permit, thefts, parking on a fire
    # lane, worn road markings
    ("我儿子今年满十六周岁了，第一次办身份证要带户口本吗", "police"),
    ("身份证过期两个月了，补办要多久，能先开个临时的吗", "police"),
    ("新买的车临牌快到期了，正式号牌还没排上号怎么办", "police"),
    ("在这边打工，租的房子，暂住证要去哪里办", "police"),
    ("单元门口的电动车昨晚又被偷了两辆，监控都拍到了", "police"),
    ("车库里好几家的电瓶被人撬走了，物业说不归他们管", "police"),
    ("有人天天把私家车停在消防通道上，救护车都开不进来", "police"),
    ("小学门口的白线磨得看不见了，车开到那里都不减速", "police"),
    ("在菜市场买菜，手机被人偷了，摊主说那边有监控", "police"),
    ("坐公交车的时候钱包被偷了，里面有现金和银行卡", "police"),
    # classes two of the probes share: probation's reporting (community correction), land
    # whose certificate states a wrong area, a won lawsuit not paid, a collective visit
    ("我侄子判了缓刑，想去外省打工，要先跟哪里报到办手续", "justice"),
    ("老公缓刑还有半年，每个月要去报到，这次想出去一趟要不要请假", "justice"),
    ("承包地的证上写两亩，实际量出来只有一亩七，能重新量吗", "land"),
    ("官司打赢半年了，对方一直赖着不还钱，法院能不能强制", "court"),
    ("我们三十多户想联名去区里反映拆迁的事，能派几个代表，要先去哪登记", "petition"),
    # a household register named only as a condition of an exam or a school place
    ("户口还在外地，孩子中考能在这里报名吗", "education"),
    ("我户籍在外省，能不能报考咱们区的事业单位", "personnel"),
]

LOOK_ALIKES = [
    # a teacher who favours, a firm that withholds pay, a civil servant's exam: no case handled
    ("班主任老是偏袒成绩好的学生，我家孩子被同学欺负也不管", "procuratorate"),
    ("公司扣了我半年的绩效工资，没有任何手续说明", "procuratorate"),
    ("我在机关单位上班，想问问公务员考试的报名时间", "procuratorate"),
    ("我们村的人大代表说要替老百姓多反映问题", "procuratorate"),
    ("我儿子在学校偷了同学的手机，老师让家长去一趟", "procuratorate"),
    # an e-bike charged in the stairwell, a copy of an ID for school, a running track's lines
    ("电动车在楼道里充电太危险了，物业也不管管", "police"),
    ("孩子上学要交身份证复印件，在哪里复印", "police"),
    ("学校操场上的跑道白线掉色了，孩子们上体育课看不清", "police"),
    ("小区消防通道的路面塌了好几个坑，物业一直拖着不修", "police"),
    # a sentence appealed, a flat's area against the developer's, owners' representatives
    ("我弟弟被判了缓刑，我们觉得判重了，想上诉", "justice"),
    ("房产证上的面积跟实际量的不一样，开发商说是公摊", "land"),
    ("我们小区业主选了几个代表，要跟物业谈物业费的事", "petition"),
    # the register itself moved for a school place stays the police's
    ("孩子要上小学了，户口还在老家，要不要先把户口迁过来", "education"),
    ("户口在老家，孩子高考前要不要把户口迁回去", "education"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


@pytest.mark.parametrize(("text", "not_bureau"), LOOK_ALIKES)
def test_a_look_alike_stays_out(text: str, not_bureau: str) -> None:
    got = classify(text)
    assert got.bureau != not_bureau, (got.bureau, got.confidence, got.keywords)


def test_the_answer_names_the_deciding_words() -> None:
    got = classify("处理事故的交警跟对方是亲戚，明显偏袒他们")
    assert got.bureau == "procuratorate"
    assert {"偏袒", "亲戚"} & set(got.keywords), got.keywords


def test_probe_u_holds_its_level() -> None:
    assert_probe_holds("probe_u_citizen_messages.tsv", 217, 214, 171, 0.98)


def test_probe_v_holds_its_level() -> None:
    assert_probe_holds("probe_v_citizen_messages.tsv", 227, 224, 174, 0.99)


def test_probe_w_holds_its_level() -> None:
    assert_probe_holds("probe_w_citizen_messages.tsv", 229, 227, 166, 0.98)
