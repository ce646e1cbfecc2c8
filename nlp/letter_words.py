"""Word classes of a letter's grievance that the letter model's medium head reads (stop 28).

The rubric's families find a grievance told in a message's words (扬言, 安全隐患,
邻里纠纷); real letters tell the same in a writer's words, which the families do
not hold and which would over-rate short messages if they did (污染, 群众, 媒体).
These classes are therefore features of the letter model only
(:mod:`nlp.letter_features`): each a kind of sign the rubric's **medium** level
names — one person's extreme emotion or threat, a danger to many people's health
or safety argued, many households concerned, an online campaign or a rumour,
a dispute — and the model learns from labelled letters how much each weighs.
A word alone raises nothing: the head needs several signs together, and a
letter the rubric rates low is raised only when the words shown name them.

Stop 29 (branch i13ee, after reading R6's and R6plus's medium letters rated low: groups of
workers or owners at odds with a company or an office, told calmly) added three classes of the
same kind — ``group_plural`` (many people wronged together, named as a group: 部分业主, 司机们,
教师群体, 多户), ``unpaid`` (wages or payment withheld: 拖欠工资, 讨薪, 工程款) and
``unanswered`` (a grievance pursued and left unanswered: 无果, 投诉无门, 推诿) — and words of
distress (欲哭无泪, 想不开, 跪求), of a collapse argued (危房, 倒塌) and of going higher (控告,
越级) to the first three.

They are kept here rather than in ``config/severity.toml`` because they are
features of a trained model (changing them means retraining with ``minqing
triage letters-train``), not rules a district reads as they stand.
"""

from __future__ import annotations

__all__ = ["LETTER_CLASSES"]

_ANGER = (
    "强烈不满",
    "极为不满",
    "非常不满",
    "极度不满",
    "普遍不满",
    "愤怒",
    "气愤",
    "愤慨",
    "愤恨",
    "民愤",
    "含愤",
    "怨声载道",
    "天怒人怨",
    "深恶痛绝",
    "忍无可忍",
    "无法忍受",
    "难以忍受",
    "受不了",
    "生不如死",
    "苦不堪言",
    "苦不能言",
    "寒心",
    "心寒",
    "绝望",
    "走投无路",
    "欺人太甚",
    "血泪",
    "含泪",
    "流着泪",
    "留着泪",
    "哭诉",
    "怎么活",
    "活不下去",
    "无法生存",
    "没法活",
    "忍气吞声",
    "敢怒不敢言",
    "轩然大波",
    "意见极大",
    "很有意见",
    "民不聊生",
    "明不聊生",
    "血汗钱",
    "欺压",
    "逼出",
    "逼得",
    "欲哭无泪",
    "想不开",
    "跪求",
    "求救",
    "崩溃",
    "悲愤",
    "群情激愤",
    "怨气",
    "万般无奈",
    "被逼无奈",
    "无法生活",
    "没法生活",
    "生活无着",
    "没有活路",
    "逼上绝路",
    "无人生希望",
    "看不到希望",
    "在绝望",
)
"""One person's or a group's extreme emotion, in a writer's words."""

_WARNING = (
    "不会罢休",
    "善罢甘休",
    "搞出事",
    "出了事",
    "闹出事",
    "过激",
    "后果自负",
    "社会稳定",
    "影响稳定",
    "不稳定",
    "群体性事件",
    "类似事件",
    "告上去",
    "上告",
    "继续告",
    "继续上访",
    "上级信访",
    "到上级",
    "逐级",
    "上中央",
    "去中央",
    "告到",
    "控告",
    "签名",
    "逐级上访",
    "越级",
    "讨个说法",
    "讨说法",
    "站出来",
    "不得不",
    "媒体",
    "记者",
    "电视台",
    "舆论",
    "曝光",
)
"""A threat of consequences or of going higher, told by the writer."""

_LIFE = (
    "安全隐患",
    "重大隐患",
    "生命安全",
    "人身安全",
    "生命健康",
    "身体健康",
    "身心健康",
    "危及生命",
    "危害",
    "人命",
    "癌症",
    "致癌",
    "中毒",
    "有毒",
    "毒烟",
    "毒气",
    "恶臭",
    "刺鼻",
    "辐射",
    "困人",
    "下坠",
    "坍塌",
    "救救",
    "倒塌",
    "垮塌",
    "危房",
    "饮用水",
    "饮水安全",
    "随时可能",
    "致残",
)
"""A danger to many people's health or safety, argued (not happening now)."""

_MANY = (
    "全村",
    "全镇",
    "全乡",
    "周边居民",
    "附近居民",
    "周边群众",
    "广大",
    "众多",
    "大多数",
    "绝大多数",
    "多户",
    "家家户户",
    "上万",
    "万余",
    "一万多",
    "上千",
    "数千",
    "上百",
    "数百",
    "几百",
    "近百",
    "百余",
    "老百姓",
    "群众",
    "民众",
    "村民",
    "居民",
    "业主",
    "家长",
    "农民工",
)
"""Many people or households concerned."""

_ONLINE = (
    "网上",
    "网络",
    "论坛",
    "微博",
    "微信群",
    "朋友圈",
    "发帖",
    "帖子",
    "转发",
    "热议",
    "传言",
    "谣言",
    "恐慌",
    "人心惶惶",
    "传销",
)
"""An online campaign, a rumour or a panic."""

_DISPUTE = (
    "纠纷",
    "争执",
    "冲突",
    "矛盾",
    "恐吓",
    "威胁",
    "报复",
    "打骂",
    "辱骂",
    "吵架",
    "村霸",
    "蛮横",
    "滋事",
    "追债",
)
"""A dispute between people or households."""

_GROUP_NOUNS = (
    "业主",
    "居民",
    "住户",
    "村民",
    "职工",
    "员工",
    "工人",
    "民工",
    "司机",
    "教师",
    "老师",
    "家长",
    "学生",
    "患者",
    "拆迁户",
    "安置户",
    "被征收人",
    "退休人员",
    "干部",
    "商户",
    "经营户",
    "乘客",
    "同事",
    "工友",
    "农户",
    "群众",
)
"""People who share a grievance as a group (a group noun; made plural by :data:`_PLURAL_BEFORE`
or :data:`_PLURAL_AFTER`)."""

_PLURAL_BEFORE = (
    "部分",
    "多名",
    "多位",
    "多户",
    "众多",
    "大批",
    "大量",
    "一些",
    "不少",
    "很多",
    "许多",
    "各位",
    "全体",
    "广大",
    "数十名",
    "几十名",
    "十几名",
    "十多名",
    "二十多名",
    "几十户",
    "十几户",
)
"""Words before a group noun that make it many (部分业主, 多名职工, 广大司机)."""

_PLURAL_AFTER = ("们", "群体", "等人")
"""Words after a group noun that make it many (司机们, 教师群体)."""

_GROUP_PLURAL = tuple(
    sorted(
        {f"{q}{n}" for q in _PLURAL_BEFORE for n in _GROUP_NOUNS}
        | {f"{n}{q}" for q in _PLURAL_AFTER for n in _GROUP_NOUNS}
        | {
            "群体",
            "多户",
            "多家",
            "大家都",
            "我们大家",
            "我和同事",
            "我们和邻居",
            "邻居们",
            "乡亲们",
        }
    )
)
"""Many people wronged together, named as a group (部分业主, 司机们, 教师群体, 多户): a dispute
across several households is the rubric's medium."""

_UNPAID = (
    "拖欠工资",
    "拖欠工钱",
    "拖欠农民工",
    "欠薪",
    "讨薪",
    "讨要工资",
    "工资未发",
    "未发工资",
    "没发工资",
    "不发工资",
    "拿不到工资",
    "工钱",
    "工程款",
    "劳务费",
    "血汗钱",
)
"""Wages or payment withheld from workers: the commonest dispute of many."""

_UNANSWERED = (
    "无果",
    "未果",
    "石沉大海",
    "无人过问",
    "无人理睬",
    "无人问津",
    "推诿",
    "踢皮球",
    "投诉无门",
    "求助无门",
    "申诉无门",
    "告状无门",
    "不了了之",
    "置之不理",
    "不予理睬",
)
"""A grievance pursued and left unanswered (多年信访无果, 投诉无门): what turns a complaint into
a dispute that may go higher."""

LETTER_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anger", _ANGER),
    ("warning", _WARNING),
    ("life", _LIFE),
    ("many", _MANY),
    ("online_talk", _ONLINE),
    ("quarrel", _DISPUTE),
    ("group_plural", _GROUP_PLURAL),
    ("unpaid", _UNPAID),
    ("unanswered", _UNANSWERED),
)
"""Each class's feature name and words (features ``<name>`` and ``<name>2``)."""
