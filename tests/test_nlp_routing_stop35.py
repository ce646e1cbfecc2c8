"""Duty rules of issue 14's stop 35 (branch route35): the classes probes AC and AD missed.

Stop 34's blind probes AC and AD (``probe_ac_citizen_messages.tsv``,
``probe_ad_citizen_messages.tsv``; tuning data since stop 35, see
``tests/test_nlp_stop34_unseen.py``) missed classes of duty wording: a fee taken to "arrange" a
benefit, schemes aimed at old people, a link that asks for a bank card, bank cards lent for
turnover, a hit-and-run, a party in the small hours (police); a work death away from home,
occupational disease, job seeking, a platform fining its riders, endless overtime (labor); a
cracked bridge, a partitioned flat (construction); a village's land taken for a road (land);
manure and farm stench, drums dumped with rubbish, a car wash's waste water, an uncovered muck
truck, a stinking transfer station (environment); a complainant threatened for petitioning, a
petition carried on by the family, a matter no office will lead (petition); detention past its
time, an enforcer colluding, a police officer paid (procuratorate); free legal advice,
mediation between villages, a law firm's fees (justice); a retired cadre's pay, a ghost
official (personnel); burial and cremation, an elderly centre, a village renamed, a divorce
both agree to (civil affairs); an unlicensed class, lunchtime care, school for a child without
local registration (education); check-ups before pregnancy (family planning); a land parcel's
use changed (planning). Two older misses too: a private person's pension fraud, and a long
polite letter whose last sentence is an unanswered petition. The hand part of
``config/lexicon.toml`` after the ``stop 35`` comment answers each class with several wordings,
written from the duty.

The messages of ROUTES and LOOK_ALIKES were written for this test, not copied from a probe or an
evaluation row. LOOK_ALIKES share a word with a class and must keep the bureau of their own
matter (several are other writers' labels the first draft of the rules broke: a residence
permit asked for a child's school stays the police's, community correction stays 司法局's, a
substitute teacher stays education's). They were written knowing the rules: they show the rules
do what they say, not how a new writer's wording will fare.

Rule words enter jieba's dictionary and can re-cut unrelated text, so the last test classifies
every contest letter and every real held-out message twice — with the lexicon, and in a fresh
process with the lexicon minus this stop's section — and allows only the rows this stop meant
to move.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.bureau_eval import read_bureau_set, read_split
from nlp.classify import classify
from nlp.dataset import load_label_map, read_labelled
from nlp.lexicon import LEXICON_PATH
from tests.test_nlp_stop25_sets import EVAL_DIR

ROUTES = [
    # police: a fee taken to arrange a benefit; schemes aimed at old people; a link asking for a
    # bank card; bank cards lent for turnover; a hit-and-run; a party in the small hours; a
    # private person's pension fraud
    ("有人说交三千块就能包过残疾证，我舅交了钱，现在人找不到了", "police"),
    ("小区门口有人搞健康讲座卖保健品，专骗老人，一盒要一千多", "police"),
    ("短信说我的社保要过期，点链接填了银行卡号和验证码，卡里的钱被转走了", "police"),
    ("同学让我把银行卡借给他刷流水，说给我五百块好处费，这样会有事吗", "police"),
    ("骑电动车的把我家老人撞倒了，人跑了，路口有摄像头", "police"),
    ("对面楼每天凌晨开party，音乐震天响，报了几次都没用", "police"),
    ("隔壁大爷去世两年了，他儿子还一直冒领养老金", "police"),
    ("举报有人用假的工龄证明骗取养老金", "police"),
    # labor: a work death, occupational disease, job seeking, riders fined, overtime
    ("我弟在工地打工出了事，从架子上摔下来人没了，老板只肯赔三万", "labor"),
    ("在石料厂干了八年，现在咳得厉害，医院说是矽肺，厂里不认", "labor"),
    ("下个月有没有招聘会，我想找份工，会开叉车", "labor"),
    ("外卖平台动不动就扣骑手的钱，差评也扣超时也扣", "labor"),
    ("公司要求每天打卡到晚上十一点，没有加班费", "labor"),
    # construction: a cracked bridge, a partitioned flat
    ("河上那座老桥桥墩开裂了，大货车还天天过", "construction"),
    ("楼下那套房被改成了隔断间，住了十几个人，卫生间都不够用", "construction"),
    # land: a group's land taken for a road
    ("修路把我们组的地占去了一大片，补偿到现在都没谈", "land"),
    # environment: manure, farm stench, drums dumped, a car wash, a muck truck, a transfer station
    ("村西头的养猪场猪粪直接冲到沟里，整条沟都是黑水", "environment"),
    ("山坡上新开了个养鸭场，一刮风全村都是臭味", "environment"),
    ("半夜有车往河滩上倒垃圾，还有几十个油桶，闻着刺鼻", "environment"),
    ("路口洗车的把污水全排到绿化带里，草都死了", "environment"),
    ("渣土车没盖篷布，沿街撒了一路，扬尘呛得人咳嗽", "environment"),
    ("垃圾中转站就在我们楼下，夏天臭得开不了窗", "environment"),
    # petition: a complainant threatened, the family carrying on, no office leading
    ("我向上面反映了村里的账目问题，现在有人上门威胁我", "petition"),
    ("我妈生前一直在反映拆迁的事，现在她不在了，我能接着反映吗", "petition"),
    ("这事问了三个单位都说不归他们，能不能有个部门牵头解决", "petition"),
    # procuratorate: detention past its time, an enforcer colluding, a police officer paid
    ("我老公被拘留了，超期了还不放人，家里也没收到通知", "procuratorate"),
    ("法院执行局的人和被执行人串通，把查封的车偷偷放走了", "procuratorate"),
    ("派出所的民警收了对方的钱，案子就一直拖着不办", "procuratorate"),
    # justice: free legal advice, mediation, a law firm's fees
    ("和邻居闹纠纷，想知道法律上怎么说，哪里有免费的律师", "justice"),
    ("两个组为了一片林子争了好多年，希望司法所来调处", "justice"),
    ("律所收了代理费，案子没开庭就说要再加钱", "justice"),
    # personnel: a retired cadre's pay, a ghost official
    ("我爸是退休干部，退休金比同级别的人少了一截", "personnel"),
    ("单位有个人吃空饷三年了，从来没来上过班", "personnel"),
    # civil affairs: burial, an elderly centre, a village renamed, a divorce both agree to
    ("我们那边不让土葬了，骨灰只能进公墓吗", "civil_affairs"),
    ("社区的日间照料中心一直没开，老人白天没地方去", "civil_affairs"),
    ("村的名字改了以后，快递和导航老是找不到地方", "civil_affairs"),
    ("我们离婚双方同意，财产也说好了，去哪里办手续", "civil_affairs"),
    # education: an unlicensed class, lunchtime care, school for a child without registration
    ("小区里的舞蹈培训班没证，收了半年学费就跑路了", "education"),
    ("学校旁边的午托每月收一千多，孩子说饭不够吃", "education"),
    ("非户籍孩子上初中要交哪些证明", "education"),
    # family planning, planning
    ("想做孕前检查，社区说是免费的，去哪里预约", "family_planning"),
    ("规划图上的公园用地被改成住宅了，谁批的", "planning"),
]

LOOK_ALIKES = [
    # a pension stopped or asked about, a pension taken by an official: not a private fraud
    ("我爸的养老金这个月少发了两百，问社保说在核对", "labor"),
    ("村会计利用职务冒领了几个老人的养老金", "procuratorate"),
    # a residence permit asked for school: its issuing is the police's (probes O, P, T)
    ("外地户口，孩子要上学，居住证在哪里办，要什么材料", "police"),
    # community correction, its rules and its people: 司法局's (probes C, G, O, R)
    ("社区矫正期间能不能去外地打工", "justice"),
    ("我们楼里有个社区矫正的人天天喝酒闹事，有人管吗", "justice"),
    # a substitute teacher: education's in most writers' labels
    ("代课老师干了十几年，现在学校说要清退", "education"),
    # a family passing an old mother around, a checkup centre passing a report around
    ("几兄弟赡养老娘的事推来推去，老人没人管", "justice"),
    ("体检报告三周了还没出，体检中心推来推去", "health"),
    # an estate's name with 地名 inside, a rental block with drugs: no renaming, no housing
    ("金地名苑的房子交房推迟了半年，开发商不给说法", "construction"),
    ("出租屋人员复杂，楼道里有针头，请派出所查一下登记", "police"),
    # a rain-sewage mix-up; a rider's bike held by the traffic police
    ("小区雨污管道混接，雨水井里都是粪水", "construction"),
    ("交警把外卖骑手没牌照的电动车扣了", "police"),
    # an elderly centre under noisy renovation; a class that closed but not a training school
    ("社区老年活动中心装修，电钻吵得午睡都不行", "construction"),
    ("厂子倒闭了，想参加政府的技能培训再就业", "labor"),
    # a divorce fought in court; a prison guard extorting a family
    ("离婚对方不同意，我已经起诉到法院了", "court"),
    ("看守所的管教让家属转钱，不转就报复他，我该向谁反映", "procuratorate"),
    # a village renamed, asked about the household register: the police's
    ("我们村的名字换了，户口本上的地址要不要跟着改", "police"),
    # a landlord's deposit (a civil dispute for mediation)
    ("房东不退押金，说地板划了要扣钱", "justice"),
]


@pytest.mark.parametrize(("text", "bureau"), ROUTES)
def test_the_matter_reaches_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


@pytest.mark.parametrize(("text", "bureau"), LOOK_ALIKES)
def test_a_look_alike_keeps_its_bureau(text: str, bureau: str) -> None:
    got = classify(text)
    assert got.bureau == bureau, (got.bureau, got.confidence, got.keywords)


@pytest.mark.parametrize(
    "text",
    [
        "举报：有人冒领去世父亲的养老金好几年了",
        "有人伪造材料骗取养老金，请有关部门查处",
        "骗取养老金的事该找谁举报",
    ],
)
def test_a_pension_fraud_goes_to_the_police_with_confidence(text: str) -> None:
    # a private person's pension fraud was answered unsure (0.46) or split between the pension
    # office and the procuratorate; it is a fraud to report
    got = classify(text)
    assert got.bureau == "police", (got.bureau, got.confidence, got.keywords)
    assert got.confidence >= 0.8, (got.confidence, got.keywords)


def test_a_long_polite_letter_is_routed_by_its_last_matter() -> None:
    text = (
        "尊敬的各位领导：你们好！我是本街道的老住户，本来有很多事想说，比如楼顶防水坏了，"
        "巷子里的下水道常年堵着，小区的路灯也不亮，这些别的都不说了。最主要的是，"
        "前年我递交的信访材料，到今天也没有收到任何答复，恳请领导过问一下，谢谢！"
    )
    got = classify(text)
    assert got.bureau == "petition", (got.bureau, got.confidence, got.keywords)


# --- the new words move only the rows meant ---------------------------------------------------

STOP35 = "# ---- stop 35"
MINED = "# ==== mined section"
NEW_KEYWORDS = '"午托" = 2.5, "午托费" = 2.5, "托管班" = 2.5, '
# held-out rows this stop moves (contest rows outside the district's rooms included), each
# found by the rule that fired (the texts not read):
# a real civil-affairs letter naming a funeral parlour (殡仪馆: planning -> civil_affairs, right);
# two contest rows outside the district's rooms (骗老年人, 公墓: wrong before and after)
INTENDED = {"139977", "153817", "fj2row7351"}

_WITHOUT = """
import json, sys
from nlp.classify import classify
from nlp.lexicon import load_lexicon
lex = load_lexicon(sys.argv[1])
rows = json.load(open(sys.argv[2], encoding="utf-8"))
print(json.dumps({i: classify(t, lex).bureau for i, t in rows.items()}))
"""


def _without_stop35(tmp: Path) -> Path:
    text = LEXICON_PATH.read_text(encoding="utf-8")
    start, end = text.index(STOP35), text.index(MINED)
    assert text.count(NEW_KEYWORDS) == 1
    rest = (text[:start] + text[end:]).replace(NEW_KEYWORDS, "")
    out = tmp / "lexicon_without_stop35.toml"
    out.write_text(rest, encoding="utf-8")
    return out


@pytest.mark.skipif(EVAL_DIR is None, reason="shared evaluation files are absent")
def test_the_new_words_move_only_the_rows_meant(tmp_path: Path) -> None:
    assert EVAL_DIR is not None
    rows: dict[str, str] = {}
    for m in read_labelled(EVAL_DIR / "teddy2020-dev.tsv", load_label_map("teddy"), "heldout"):
        rows[m.id] = m.text
    split = read_split(Path(__file__).parent / "data" / "bureau_split.tsv")
    held = {i for i, part in split.items() if part == "heldout"}
    real = read_bureau_set(EVAL_DIR / "teddy2020-bureau-dev.tsv", held)
    rows.update({c.id: c.text for c in real})
    assert len(rows) >= 569 + 155
    source = tmp_path / "rows.json"
    source.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    lexicon = _without_stop35(tmp_path)
    assert re.search(r"stop 35", lexicon.read_text(encoding="utf-8")) is None
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT, str(lexicon), str(source)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "MINQING_LEXICON_OVERLAY": "", "PYTHONPATH": "."},
    )
    before = json.loads(done.stdout.strip().splitlines()[-1])
    moved = {i for i, text in rows.items() if classify(text).bureau != before[i]}
    assert moved <= INTENDED, sorted(moved - INTENDED)
    truth = {c.id: c.bureau for c in real}
    assert all(classify(rows[i]).bureau == truth[i] for i in moved if i in truth)
