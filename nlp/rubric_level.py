"""The rubric's own level of a text: families, head counts, collective action, modifiers.

:func:`rubric_assessment` implements ``config/severity.toml`` without the learned
model: the level is the highest of every family found (its ``now_level`` when it
happens now; capped for a rumour, a hazard feared or a letter's background), the
level of the largest head count that acts, and the collective level when 5 or more
people act together or a text tells collective action planned or under way
(:mod:`nlp.letters`); urgency words raise it one step; a text that takes the matter
back, laughs, or tells it settled is low. :mod:`nlp.severity` raises this level by
the learned model and caches it; :class:`Severity` (:mod:`nlp.severity_value`) is the
answer of both.

Depends on :mod:`nlp.rubric`, :mod:`nlp.families`, :mod:`nlp.background`,
:mod:`nlp.clauses`, :mod:`nlp.headcount`, :mod:`nlp.letters` and
:mod:`nlp.retraction`; never on the model.
"""

from __future__ import annotations

import re

from nlp.background import fun_or_fiction, is_letter
from nlp.clauses import negated_at, sentence_of
from nlp.families import SELF_HARM, Occurrences, match_families
from nlp.family_index import any_in, found_in
from nlp.headcount import head_count as _head_count
from nlp.headcount import head_counts
from nlp.letters import (
    acting_head,
    acts_together,
    crowd_acting,
    group_letter,
    households_concerned,
    lone_letter_word,
)
from nlp.reasons import whole_expressions
from nlp.retraction import renewed, said_back
from nlp.rubric import default_rubric
from nlp.rubric_model import LEVELS, Rubric
from nlp.rubric_modifiers import (
    acted_on_denied,
    calm_gathering,
    calm_words,
    flared_again,
    gathered_now,
    modifier_lists,
    signed_up_count,
    tells_going,
)
from nlp.rubric_modifiers import (
    exclaimed as exclaimed_text,
)
from nlp.severity_value import Severity

__all__ = ["HEARSAY_MAX", "Severity", "rubric_assessment"]

_BARE_COLLECTIVE = ("集体",)
"""A medium family shown in a letter by this word alone counts nothing (stop 34): 8 letters
of R1–R10 rated medium by it alone were labelled low, none higher once it counted nothing."""


def _planned(text: str, occ: Occurrences, word: str, rubric: Rubric) -> bool:
    """True if every occurrence of an urgency word only introduces a plan.

    正在商量下周去区里 is a plan being made, not an event under way: a
    planning word later in the same clause takes the urgency away.
    """
    if not rubric.planning:
        return False
    for start in occ[word]:
        clause = text[start + len(word) : start + len(word) + 12]
        for end in "，。；！？、,.;!? \n":
            clause = clause.partition(end)[0]
        if not any(p in clause for p in rubric.planning):
            return False
    return True


_CLAUSE_SPLIT = r"[，。；！？、,.;!?\s]"

HEARSAY_MAX = "medium"
"""The highest level a family found after a rumour word sets (rumours causing panic)."""

_RISK_MAX = "medium"
"""The highest level a family feared as a risk sets (一旦失火, 火灾隐患): a hazard's level."""


def _planned_crowd(text: str, end: int, rub: Rubric) -> bool:
    """True if the head count ending at ``end`` is in a sentence of plans
    (下周, 准备, 约好) with no ``now`` or urgency word (正在, 现场, 明天)."""
    lo, hi = sentence_of(text, max(0, end - 1), end)
    sentence = text[lo:hi]
    # 百余户村民准备明天集体到区政府上访: tomorrow is no longer a plan but an event coming;
    # but 今天群里在商量周三先集体去… is today's planning (stop 27).
    # 维权群，已经三百多人: 已经 before the count tells the size reached, not an act now.
    at = end - lo
    for w in (*rub.now, *rub.urgency):
        p = sentence.find(w)
        while p >= 0:
            after = sentence[p + len(w) :]
            clause = re.split(_CLAUSE_SPLIT, after[:12], maxsplit=1)[0]
            gap = at - p - len(w)
            own = 0 < gap <= 8 and len(re.split(_CLAUSE_SPLIT, after, maxsplit=1)[0]) >= gap
            if not own and not any(x in clause for x in rub.planning):
                return False
            p = sentence.find(w, p + 1)
    return any(w in sentence for w in rub.future) or any(w in sentence for w in rub.planning)


def _pastime(
    text: str, end: int, rub: Rubric, occ: Occurrences, found: list[tuple[int, str, str]]
) -> bool:
    """True if the head count ending at ``end`` is people at a pastime (社区组织包饺子
    活动 二十多人参加): a pastime word near it in its sentence, no family anywhere in
    the text and no collective word but plain togetherness (一起, 组织); or people an
    office received (``received`` before the count: 接待群众12人), no family anywhere."""
    if found or not rub.pastime:
        return False
    lo, hi = sentence_of(text, max(0, end - 1), end)
    # Near the head count: 培训机构…一共四十多个家长 is a grievance, not a class.
    near = text[max(lo, end - 4 - rub.pastime_window) : min(hi, end + rub.pastime_window)]
    # 在社区接待群众12人，主要反映停车难: people an office received, counted before the
    # count in its sentence, are a tally of visitors (trial 34 #10); what they 反映 is
    # their matter, not a crowd acting together.
    if any(w in text[max(lo, end - 4 - rub.pastime_window) : end] for w in rub.received):
        return True
    if not any(w in near for w in rub.pastime):
        return False
    return all(w in rub.together for w in rub.collective_words if occ[w])


_SIZE_OF = re.compile(r"的(?:厂|工厂|公司|企业|单位|学校|群|大群|村|小区|医院|工地)")
"""After a head count, an organisation it measures (几百人的厂, 三百多人的群): its size."""


_GROUPS = frozenset({"headcount", "collective", "gathering"})
"""What sets a level by a group acting: a ``dating`` urgency word (今天) raises only these."""


def _lone(text: str, start: int, rub: Rubric) -> bool:
    """True if the sentence of a match at ``start`` has one person as its subject
    (``lone``: 他, 此人) and names nobody acting with them (``not_lone``, a head
    count of ``[collective] min_people``): 他说以后天天来这儿堵门."""
    lo, hi = sentence_of(text, start, start + 1)
    sentence = text[lo:hi]
    if not any(w in sentence[: start - lo] for w in rub.lone):
        return False
    if any(w in sentence for w in rub.not_lone):
        return False
    count = _head_count(sentence)
    return count is None or count[0] < rub.collective_min


def rubric_assessment(text: str, rubric: Rubric | None = None) -> Severity:
    """The rubric's own assessment of a normalised text (no learned model)."""
    rub = rubric if rubric is not None else default_rubric()
    rank = {level: i for i, level in enumerate(LEVELS)}
    matches, occ = match_families(text, rub)
    letter = is_letter(text, rub)
    found: list[tuple[int, str, str]] = []  # (rank, word, family)
    for m in matches:
        fam = m.family
        level = rank[fam.now_level if fam.now_level and m.now else fam.level]
        # 网传化工园区要爆炸: a story going round is a rumour (medium), not the event.
        if m.hearsay:
            level = min(level, rank[HEARSAY_MAX])
        # 他…说不给说法以后天天来这儿堵门: one person's threat (stop 27).
        if fam.name in rub.lone_families and not m.now and _lone(text, m.start, rub):
            level = min(level, rank["medium"])
        # 一旦失火后果不堪设想: a hazard feared (medium at most); a long letter's
        # old accident or argued hazard: at most `[letters] background_max`.
        if m.background in ("risk", "letter"):
            cap = rub.letter_max if m.background == "letter" or letter else _RISK_MAX
            level = min(level, rank[cap])
        # 报名, 串联, 冲击: one word of collective action in a long letter is often
        # just a word (考试报名, 地铁线路串联, 冲击力); a high family shown by one
        # expression only counts as medium there (a group's grievance), by
        # several (拉横幅、标语、集体) at its level. Stop 34: a blocking word alone (交通堵塞,
        # 市场冲击) counts nothing (nlp.letters.lone_letter_word).
        if letter and not fam.services and len(m.words) < 2 and level == rank["high"]:
            level = rank["low"] if lone_letter_word(fam.name, m.words) else rank["medium"]
        # 集体户口, 集体土地, 为集体涨价: 集体 alone in a letter names collective ownership or a
        # body, no gathering (stop 34; 集体上访 is a joint petition, nlp.letter_joint).
        elif letter and level == rank["medium"] and tuple(m.words) == _BARE_COLLECTIVE:
            level = rank["low"]
        # 抗议…上访…维权: a medium family of collective grievance told by three
        # expressions or more in a letter is collective action (high).
        elif letter and not fam.services and len(m.words) >= 3 and level == rank["medium"]:
            level = rank["high"]
        found.extend((level, word, fam.name) for word in m.words)
    group = group_letter(text, rub) if letter else None
    # 附近几百户人家千余居民怨声载道: many households concerned is a dispute across
    # households (medium), though nobody acts.
    if letter and group is None:
        group = households_concerned(text, rub)
    # 单方面无理由辞退我们, 多名员工, 岸山村全体村民: people wronged together, in a
    # letter or a short message (`[letters] many_of_us`).
    if group is None and any_in(text, rub.letter_many_of_us):
        group = next((w for w in rub.letter_many_of_us if w in text), None)
    if group is not None:
        found.append((rank["medium"], group, "group"))
    # 老百姓每天守在村委会, 我们将一级一级上访, 准备联合起来到区里: collective action
    # planned or under way, told without the collective words (nlp.letters).
    crowd = crowd_acting(text, rub)
    if crowd is not None:
        found.append((rank[rub.collective_level], crowd, "collective"))
    # A letter's number of people counts where it acts (nlp.letters.acting_head).
    head = acting_head(text, rub) if letter else _head_count(text)
    # 一个三百人的村，今天一百多人堵在村口: past an organisation's size, the largest
    # count of people themselves (stop 27).
    if head is not None and not letter and _SIZE_OF.match(text, head[1]):
        people = [(v, e) for v, _, e in head_counts(text) if not _SIZE_OF.match(text, e)]
        most = min((t for t, lvl in rub.headcount if lvl == "critical"), default=0)
        if people and most and max(people)[0] >= most:
            head = max(people)
    # 我代表1100户业主, 关乎上千人切身利益: in a long letter or a request to an
    # office a number of people is the size of those concerned, not a crowd,
    # unless its sentence tells them acting together (聚集, 上访, 堵, 静坐 ...).
    if (
        head is not None
        and (letter or any_in(text, rub.request))
        and not acts_together(text, head[1], rub, strict=letter)
        and (letter or not any(r >= rank["high"] for r, _, _ in found))
    ):
        head = None
    heads = head[0] if head is not None else None
    pastime = head is not None and _pastime(text, head[1], rub, occ, found)
    # 群里已有一百多人接龙报名, 已有几百人签名: people who signed up, not a crowd gathered
    # (stop 28, set m): a sign-up word acts nothing, and the count sets at most high when
    # the text tells them going (a plan, a date, another collective act), else medium.
    signed = (
        head is not None
        and not letter
        and signed_up_count(text, head[1], rub)
        and not gathered_now(text, rub)
    )
    acting = (
        sorted((p, w) for w in rub.collective_words for p in occ[w] if not negated_at(text, p))
        if heads is not None and heads >= rub.collective_min
        else []
    )
    going = True
    if signed:
        sign_words = modifier_lists(rub).signed_up
        going = (
            any(w not in sign_words for _, w in acting)
            or any_in(text, rub.future)
            or any_in(text, rub.planning)
            or any_in(text, rub.urgency)
            or tells_going(text, rub)
        )
        if not going:
            acting = [(p, w) for p, w in acting if w not in sign_words]
    if head is not None and heads is not None and not pastime:
        for threshold, lvl in rub.headcount:
            if heads >= threshold:
                level = rank[lvl]
                # 下周组织一百来人去区里: a crowd planned is collective action (high);
                # only one gathered or acting now is the most serious.
                # 两百多人现在堵在区政府门口，还在召集更多人过来: a crowd acting now stays one,
                # whatever more it plans (stop 30).
                if (
                    level > rank["high"]
                    and _planned_crowd(text, head[1], rub)
                    and not gathered_now(text, rub)
                ):
                    level = rank["high"]
                # 明天要集体去管委会，几百人的厂: the size of an organisation is those
                # concerned, not a crowd gathered (stop 27).
                if level > rank["high"] and _SIZE_OF.match(text, head[1]):
                    level = rank["high"]
                if signed:
                    level = min(level, rank["high"] if going else rank["medium"])
                # 千名教师长年集体上访: a letter tells of a crowd; it sees one
                # gathered only when its sentence says now (现在, 正在).
                if letter and level > rank[rub.collective_level]:
                    lo, hi = sentence_of(text, max(0, head[1] - 1), head[1])
                    if not any(w in text[lo:hi] for w in (*rub.letter_now, *rub.letter_today)):
                        level = rank[rub.collective_level]
                found.append((level, f"{heads}人", "headcount"))
                break
        if heads >= rub.collective_min and acting:
            found.append((rank[rub.collective_level], f"{heads}人", "collective"))
            found.append((rank[rub.collective_level], acting[0][1], "collective"))
    # 请立即处理, 今天又去了: in a long letter the hurry words are the writer's
    # plea or the story's day, not an event under way; they raise nothing.
    urgency = (
        []
        if letter
        else sorted(w for w in rub.urgency if w in text and not _planned(text, occ, w, rub))
    )
    level_i = max((r for r, _, _ in found), default=0)
    # 堵死…冲突…联名…维权…威胁…号召: a letter whose warning signs of grievance come
    # from several families, many words in all (`[letters] many_signs`), tells a
    # group's open conflict (high), as three words of one family do.
    if letter and level_i == rank["medium"]:
        signs = {w for r, w, fam in found if r == level_i and fam not in ("group", "headcount")}
        kinds = {fam for r, _, fam in found if r == level_i and fam not in ("group", "headcount")}
        if len(signs) >= rub.letter_many_signs and len(kinds) >= 3:
            level_i = rank["high"]
    # 患者昨晚术后死亡…家属十几个人…拉了白布横幅，暂未发生冲突 (stop 28, set m).
    level_i = calm_gathering(text, matches, found, level_i, rub)
    reasons = [w for r, w, _ in found if r == level_i and r > 0]
    # 今天几家人在楼下对骂: a quarrel between households today is still a dispute
    # (medium); urgency raises threats and plans, not a quarrel (stop 27).
    top = {fam for r, _, fam in found if r == level_i}
    quarrel = top <= {"dispute"}
    # 今天 dates a report: alone it raises a group acting, not one person's threat.
    # 今天下午一个上访人在窗口…: a gathering word with one person counted is no group.
    crowd_top = bool(top & _GROUPS) and (heads is None or heads >= rub.collective_min)
    dated_only = all(w in rub.dating for w in urgency) and not crowd_top
    if urgency and level_i >= rank[rub.urgency_bump_from] and not quarrel and not dated_only:
        bumped = max(level_i, min(level_i + 1, rank[rub.urgency_bump_max]))
        if bumped > level_i:
            reasons = [*(w for r, w, _ in found if r == level_i), *urgency]
        level_i = bumped
    # 大家都以为没事了 / 拿…制度来开玩笑: no taking back (nlp.retraction).
    back = said_back(text, rub)
    settled = found_in(back, rub.settled)
    # 派出所已经调解过…今天两家在楼道碰面又对骂起来: settled once, flaring up again (stop 30).
    # The settled matter's own past harm (受伤那位缝了两针已回家) stays over: the level is the
    # flare-up's, set by the families not told only in the past.
    if flared_again(back, settled, rub):
        settled = []
        done = {m.family.name for m in matches if m.past} - {
            m.family.name for m in matches if not m.past
        }
        rest = [(r, w, fam) for r, w, fam in found if fam not in done]
        if rest and len(rest) < len(found):
            level_i = max(r for r, _, _ in rest)
            reasons = [w for r, w, _ in rest if r == level_i and r > 0]
    # 开玩笑说…就去北京告你们 说完自己先乐了: the writer takes it back. Not for
    # a danger to life (a joke about killing oneself is still a warning sign).
    retracted = found_in(back, rub.retracted)
    if retracted and 0 < level_i <= rank["high"]:
        level_i, reasons = 0, retracted
    # 笑死 / 太好玩了 / 那部电影最后…: fun or fiction, unless a strong now word
    # says otherwise; a laugh beside self-harm is still a warning sign.
    if (
        level_i > 0
        and fun_or_fiction(text, rub)
        and not any(m.family.name == SELF_HARM for m in matches)
    ):
        level_i, reasons = 0, found_in(text, rub.unserious)
    # 救命啊这天也太热了吧: a bare cry beside the weather or a form is no danger
    # (as for the emergency line, nlp.danger_owner.danger_now).
    if (
        level_i == rank["critical"]
        and exclaimed_text(text, rub)
        and all(m.family.name == "distress" for m in matches if rank[m.family.level] == level_i)
    ):
        level_i = max((r for r, _, fam in found if fam != "distress"), default=0)
        reasons = [w for r, w, fam in found if r == level_i and r > 0 and fam != "distress"]
    # Settled and over: a past event (上周仓库着火那个事已经处理完了) is low
    # whatever its level, when every family at the top level happened then.
    over = bool(matches) and all(
        m.past for m in matches if rank[m.family.level] >= max(level_i, rank["high"])
    )
    calmed_now = False
    calm = calm_words(text, back, matches, rub)
    # 前期…喝农药的杨某，已出院一个多月…情绪基本稳定: past self-harm, out of danger and
    # calm, told without a settled word: a person to visit again, medium (stop 28, set m).
    if (
        not settled
        and calm
        and over
        and level_i > rank["medium"]
        and any(
            m.family.name in rub.risk_spares
            for m in matches
            if rank[m.family.level] >= max(level_i, rank["high"])
        )
    ):
        level_i, reasons = rank["medium"], calm
        calmed_now = True
    # 派出所已经处理完了，今天李家儿子又在村口说要报复: a matter told again after its
    # settlement is new (nlp.retraction.renewed, stop 30): its own level, not settled.
    # Not in a long letter, whose story tells many turns (经核实… then the grievance again).
    again = renewed(back, settled, matches) if settled and level_i > 0 and not letter else []
    if again:
        level_i = max(rank[m.family.level] for m in again)
        reasons = [w for m in again for w in m.words]
    elif settled and level_i > 0 and (level_i <= rank[rub.settled_max] or over):
        # 说储罐要爆炸…老人拖家带口往亲戚家走…其实厂里一切正常: a rumour acted on is a
        # rumour causing panic (medium) whatever its content proved (stop 27).
        # 有人说…要自焚，我去核实了，没这回事…视频号上已经传开了: a story denied is a rumour too.
        rumour = any(m.hearsay for m in matches) or bool(found_in(back, rub.denied))
        panic = found_in(text, rub.panic) if rumour else ()
        # 前天说要喝药的那位大姐…说当时是气话…情绪比前两天平稳: a threat to one's life told
        # calm again is still a person to visit again (medium), not low (stop 27, set l);
        # one settled for good (去年…被救上来的小伙子 现在在厂里上班了 一切正常) is low.
        spared = (
            over
            and bool(calm)
            and any(
                m.family.name in rub.risk_spares
                for m in matches
                if rank[m.family.level] >= max(level_i, rank["high"])
            )
        )
        if panic:
            level_i, reasons = min(level_i, rank[HEARSAY_MAX]), [*panic]
        elif spared:
            level_i, reasons = min(level_i, rank["medium"]), [*settled]
            calmed_now = True
        else:
            level_i, reasons = 0, settled
    # 网上说养老金要停发…我说没这回事，他们还是不放心 (stop 34).
    acted = acted_on_denied(text, back, rub) if level_i < rank[HEARSAY_MAX] and not again else []
    if acted:
        level_i, reasons = rank[HEARSAY_MAX], [*acted]
        found.append((level_i, acted[0], "panic"))
    found.sort(key=lambda t: (-t[0], t[1]))
    cues = [w for _, w, fam in found if fam not in ("headcount", "collective")]
    families = list(dict.fromkeys(fam for _, _, fam in found))
    if pastime:
        families.append("pastime")
    if signed and not going:
        families.append("petition")
    if calmed_now:
        families.append("calmed")
    return Severity(
        LEVELS[level_i],
        tuple([*cues, *urgency]),
        heads,
        bool(urgency),
        whole_expressions(text, dict.fromkeys(reasons)),
        tuple(families),
    )
