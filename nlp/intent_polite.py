"""Small-talk vocabulary that generalises: praise, blessings, closings, dialect.

Plain data for :mod:`nlp.intent`, kept apart from :mod:`nlp.intent_words` so that each list
stays short. These are *building blocks* rather than whole messages: a message made only of
them (and of particles, emoji and punctuation) is small talk, anything else left over keeps it a
request. So 你们效率真高 (subject + degree + praise) is a thanks, 你们效率太低 stays a request
(低 is no praise word), and 服务态度不太好 too (不 is left over).
"""

from __future__ import annotations

__all__ = [
    "ACKS_ALONE",
    "BOT_ADDRESSED",
    "BOT_PERSONAL",
    "BOT_QUESTIONS",
    "CLOSINGS",
    "DIALECT_GREETINGS",
    "FAREWELLS",
    "INTRO_PLACES",
    "INTRO_WHO",
    "MORE_THANKS",
    "PEOPLE",
    "PLANS",
    "PRAISE",
    "PRAISE_FRAME",
    "PRESENCE",
    "SEASONAL_GREETINGS",
    "SETTLED",
]


def _words(text: str) -> tuple[str, ...]:
    """A list of phrases written as one string, separated by spaces."""
    return tuple(text.split())


# Holidays and times that take 快乐 / 好 / 安康 (春节快乐, 周末愉快, 端午安康, 母亲节快乐).
_OCCASIONS = _words(
    "新年 元旦 春节 新春 小年 除夕 元宵 元宵节 情人节 妇女节 女神节 三八节 清明"
    " 五一 劳动节 青年节 母亲节 六一 儿童节 端午 端午节 父亲节 七一 建党节 八一"
    " 建军节 七夕 教师节 中秋 中秋节 国庆 国庆节 双节 重阳 重阳节 冬至 腊八"
    " 平安夜 圣诞 圣诞节 节日 过节 假期 周末 生日"
)
_WISHES = _words("快乐 愉快 安康 好 吉祥 平安 大吉")
_ZODIAC = "鼠牛虎兔龙蛇马羊猴鸡狗猪"

PEOPLE: tuple[str, ...] = _words(
    "机器人 智能客服 人工客服 客服 小助手 助手 小编 管理员 工作人员"
    " 同志 领导 老师 师傅 小姐姐 小哥哥 小哥 美女 帅哥 大哥 大姐"
    " 姐姐 哥哥 阿姨 叔叔 大爷 大妈 大叔 大娘 兄弟 老铁 亲爱的 家人"
    " 姐妹 朋友 宝子 宝宝 宝 亲 各位 大家 侬 书记 主任 局长 站长"
    " 所长 村长 干部 警官 民警 警察 医生 大夫 律师 法官 专家 先生"
    " 女士 恁 恁们 您老 你老"
    # stop 31, i13kk: a diminutive or a rural address (小同志在吗, 老乡们好)
    " 小同志 老同志 小伙子 小姑娘 小妹妹 小妹 老乡 乡亲 父老乡亲 街坊 邻居 街坊邻居"
    " 打工人 党和政府 党和国家 政府 社区 街道"
    " 居委会 村委会 党 祖国 国家 人民"
    # stop 34 (branch tri34b): the village or the grid named as whom a thanks is for
    # (谢谢村里, 谢谢网格员)
    " 村里 村上 镇里 镇上 乡里 乡上 社区里 街道上 村干部 村支书 支书"
    " 网格员 网格长 社工 物业 楼长"
)
"""Whom a greeting or a thanks is addressed to (书记好, 谢谢阿姨, 你好客服): removed only once
a greeting or a thanks was found, so 阿姨 alone or 社区门口路灯坏了 stays a request."""

BOT_QUESTIONS: tuple[str, ...] = (
    *_words(
        "你会干嘛 你能干嘛 你能干什么 你会干什么 你会什么"
        " 你会做什么 你能做什么 你有什么功能 有什么功能 能干什么"
        " 这个怎么用 这个怎么使用 这个咋用 咋用 怎么用 我要找人工"
        " 我要人工 我找人工 人工人工 怎么使用 你叫什么名字"
        " 你叫什么 你是人工智能吗 人工智能 是真人在回复吗"
        " 真人在回复吗 真人吗 是真人 你是ai吗 是ai吗 你是谁啊"
        " 能用吗 能不能用 看能不能用 能看到我的消息吗"
        " 看到我的消息了吗 收到我的消息了吗 能收到我的消息吗"
        " 这是一条测试消息 一条测试消息 测试消息 测试信息"
        " 这是政府的号吗 这是政府的吗 是政府的吗 这是官方的吗"
        " 是官方的吗 官方的吗 这是哪里 这里是哪里 这是什么 这是啥"
        " 你们是谁 是真的吗"
        # stop 31, i13kk: a test of whether a message goes through (测试一下，看能不能发出去)
        " 测试一下 测试测试 测试 试发一下 试发"
    ),
    *(
        p + m + v + q
        for p in ("", "看", "看看", "试试", "试下")
        for m in ("能不能", "能", "可以", "可不可以", "能否")
        for v in _words(
            "发出去 发过去 发送 发成功 收到 看到 看见 看到我发的 收到我发的"
            " 看到我发的消息 收到我发的消息 看到我的信息 收到我的信息"
        )
        for q in ("", "吗", "么", "不", "没")
    ),
    *_words("发出去了吗 发出去了没 发过去了吗 发成功了吗 发得出去吗 看到我发的了吗 收到我发的了吗"),
)
"""Questions about the bot itself and test messages: the menu answers them."""

#: Chit-chat about the bot as if it were a person (trial 33 D14): who made it, what it
#: earns, whether it is tired, how old it is … (你们这个机器人是谁开发的，工资高不高，哈哈).
#: Read only when the message speaks to the bot (:data:`BOT_ADDRESSED`) and nothing else
#: is left: 工资高不高 beside 老板拖欠 is no chit-chat, 拖欠 keeps it a request.
BOT_PERSONAL = (
    r"(?:你们?|这个|这|机器人|小助手|客服|系统|是)*"
    r"(?:(?:谁|哪个公司|哪家公司|哪个单位|什么公司|哪里)(?:开发|做|写|设计|制作|研发|搞)(?:出来)?的"
    r"|(?:的)?(?:工资|薪水|收入|待遇)(?:高不高|高吗|多少|怎么样|咋样|多不多|有多少|高)"
    r"|累不累|累吗|辛不辛苦|辛苦吗|忙不忙|忙吗|几岁了?|多大了?|多少岁|男的还是女的|男的女的"
    r"|男生还是女生|有(?:对象|男朋友|女朋友)(?:吗|没有?)?|结婚了?(?:吗|没)|吃饭了?吗|吃了吗"
    r"|下班了?吗|睡觉了?吗|会聊天吗|聪明吗|笨不笨|傻不傻)"
    r"(?:你们?|机器人)?"
)
#: The bot spoken to: 你, 您, 机器人, 小助手, 客服, ai.
BOT_ADDRESSED = r"你|您|机器人|小助手|客服|ai"
_TIMES = _words("早 早上 早晨 清早 上午 中午 午 下午 傍晚 晚上 晚 夜里")

SEASONAL_GREETINGS: tuple[str, ...] = (
    *(o + w for o in _OCCASIONS for w in _WISHES),
    *(z + "年" + w for z in _ZODIAC for w in _WISHES),
    *(t + w for t in _TIMES for w in ("好", "安")),
    *(p + m + "好" for p in PEOPLE[: PEOPLE.index("打工人") + 1] for m in ("", "们")),
    *("拜" + g + "年" for g in ("", "个", "个早", "个晚", "早", "晚")),
    *(
        v + d + e + q
        for v in ("听", "看")
        for d in ("得", "")
        for e in ("见", "到", "清")
        for q in ("吗", "么", "没")
    ),
    # 早上好呀，新的一天 (stop 27, set l)
    "又是新的一天",
    "新的一天",
    "恭喜发财",
    "恭喜恭喜",
    "大吉大利",
    "拜年",
    "晚安安",
    "好梦",
    "打扰您了",
    "打扰你了",
    "打扰你们了",
    "打扰您",
)
"""春节快乐, 周末好, 午安, 傍晚好 ... generated, not listed one by one."""

DIALECT_GREETINGS: tuple[str, ...] = (
    *_words(
        "侬好 雷猴 早晨 你好撒 你好嘛 哈啰 哈罗 哈喽 嗨喽"
        " 嗨咯 初次见面 幸会 久仰 很高兴认识你 认识一下"
        " 吃了吗 吃了没 吃了么 吃了没有 吃饭了吗 吃饭了没"
        " 吃饭了没有 吃饭没 饭吃了吗 食咗饭未 食咗饭未呀"
        " 上班吗 还在上班吗 在上班吗 下班了吗 能看到吗"
        " 看得到吗 收得到吗 能收到吗 hello hallo hiya hey"
        " morning goodmorning goodafternoon goodevening"
        " goodnight nihao ninhao zaima zaibuzai youren"
        " yourenma 能听到吗 听得到吗 听到吗 看到吗 在线等"
        " howareyou howru whatsup 我通过了你的朋友验证请求"
        " 现在我们可以开始聊天了 现在可以开始聊天了"
        " 以上是打招呼的内容 打招呼 我是新来的 新来的"
        " 我刚关注 刚关注 刚关注你们 初来乍到 请多关照"
        " 多多关照 请多指教 多多指教 又见面了 又是我 我又来了"
        " 我来了 我回来了 上班了吗 上班了没 上班没 今天上班吗"
        " 今天上班不 还上班吗 今天有人吗 今天有人上班吗"
        # stop 31, i13kk: checking in (新人报到, 早安 打卡)
        " 新人报到 报到 来报到 打卡 来打卡 签到 新人"
        # stop 32, i13oo: arriving (俺来了 read as 我来了; 我到了，你好)
        " 我到了 我到啦 我来啦 我上线了 我上线啦"
        # stop 34 (branch tri34b): a greeting said as such, before sleep or on meeting
        # (晚安前先打个招呼, nice to meet you, 很高兴认识大家)
        " 先打个招呼 先打声招呼 打个招呼 打声招呼 来打个招呼 跟大家打个招呼"
        " 和大家打个招呼 晚安前 睡前 临睡前"
        " nicetomeetyou nicetomeetu nicetomeetyouall gladtomeetyou pleasedtomeetyou nicetomeetya"
        " 很高兴认识大家 很高兴认识你们 高兴认识你 认识你很高兴 幸会幸会"
        # stop 35, dialect35 (set af): the south-western 不 / 没 of a question (听得到不, 看得到没)
        # and a newcomer who says so (我是新来的用户)
        " 听得到不 听得见不 听到没得 听得到没 听到起没 看得到不 看得见不 收得到不 能听到不"
        " 能看到不 我是新来的用户 我是新来用户 我是新用户 新来的用户 新来用户 新用户"
        " 新来的网友 新来网友 新来的居民 新来居民"
    ),
    # stop 31, i13kk: a presence check asking for a sign (在的话吱一声, 有人就回个话)
    *(
        a + b
        for a in _words("在的话 在就 在吗 在不在 有人的话 有人就 有人吗 看到的话 看到就")
        for b in _words(
            "吱一声 吱个声 吱声 回个话 回一下 回复一下 回个消息 说一声 应一声"
            " 回我一下 回我 冒个泡 出个声 回个声"
        )
    ),
)
"""Greetings of the regions and of the keyboard (侬好, 雷猴, 早晨, 吃了吗, nihao)."""

INTRO_PLACES: tuple[str, ...] = _words(
    "村 组 社 队 屯 寨 庄 湾 坝 栋 幢 号楼 楼 单元 小区 社区 苑 园 院 街道 家属院 花园"
)
"""Stop 34 (branch tri34b): where a greeting's self-introduction says the writer lives (你好，我是
上坝村的; 哈喽 我是18栋的; 我是3号楼的住户): removed with 我是 … 的 before the second reading."""

INTRO_WHO: tuple[str, ...] = _words("住户 居民 村民 业主 租户 老住户 新住户 人")
"""Who the writer is at that place (我是幸福小区的业主)."""

PRESENCE = frozenset("有没人在吗么嘛伐不冇係系咪无呢线回复答理我应否还个话说声")
"""Characters of a presence check (有没有人, 有人没有, 有冇人, 係咪有人, 在伐): a message made
only of them that names 人 or 在 is a greeting, whatever the dialect's word order."""

_THANKED = _words("你 您 你们 您们 大家 各位 同志 同志们 领导 老师 师傅")
MORE_THANKS: tuple[str, ...] = (
    *("麻烦" + a + e for a in _THANKED for e in ("了", "啦", "咯", "喽", "哈", "呀", "啊")),
    *_words(
        "有你们真好 有你真好 有您真好 有你们在真好 感激涕零 感激万分 不胜感激 感谢万分"
        " 十分感谢 衷心感谢 由衷感谢 真心感谢 诚挚感谢 特别感谢 超级感谢 太谢谢 谢谢晒 多谢晒"
        " 唔该晒 唔该 辛苦晒 有心了 有劳了 有劳 劳烦了 劳驾了 费心了 费心 操心了 添麻烦了"
        " 添麻烦 麻烦啦 麻烦你啦 麻烦您啦 麻烦各位了 蟹蟹 谢谢侬 感谢有你 谢谢有你 3ks tq ty"
        " tysm xiexie xiexiele xiexieni xiexienin ganxie xinkule xiexiela 辛苦咗 多谢你哋"
        " 唔该你哋 谢谢你哋"
        # stop 34 (branch tri34b): thanks by sound (三克油, 3q) and a joke of rescue
        # (救我狗命, 救了我老命)
        " 三克油 三克由 散克油 桑克油 三克幼 3q 3qs sankyou 三q"
        " 救我狗命 救了我狗命 救了我的狗命 救我老命 救了我老命 救了我的老命"
        " 救大命 续命了 你是我的救命恩人 救命恩人"
    ),
)
"""Thanks beyond :data:`nlp.intent_words.THANKS`: degree + 感谢, Cantonese 唔该 / 多谢晒, the
trouble one caused (添麻烦了, 有劳, 费心了), net slang (蟹蟹) and pinyin."""

# Qualities that praise only with a degree or after what they qualify: 很及时 and
# 处理及时 are praise, 及时处理 is an order.
_QUALITIES = _words("及时 认真 热情 热心 耐心 细心 用心 高效 专业 快 负责")
_DEGREES = _words("很 真 太 挺 蛮 超 好 非常 特别 十分 相当 这么 那么")
_QUALIFIED = _words("处理 回复 答复 服务 办事 工作 态度 反应 速度 效率 办得")

PRAISE: tuple[str, ...] = (
    *(d + q for d in _DEGREES for q in _QUALITIES),
    *(w + q for w in _QUALIFIED for q in _QUALITIES),
    *_words(
        "好评 五星好评 点赞 点个赞 赞一个 赞 棒棒哒 棒棒的 最棒 棒 给力 厉害 牛逼 牛批 牛b"
        " 牛 nb 优秀 靠谱 负责任 真负责 很负责 太负责 挺负责 认真负责 贴心 暖心 周到 到位"
        " 效率高 效率真高 效率很高 效率挺高 效率太高 效率好高 好快 真快 挺快 速度快 不错 挺好"
        " 很好 真好 太好 好极了 这么快 那么快 很快 太快 秒回 666666 66666 6666 666 好样的"
        " 好人 好 满意 为民办实事 为人民服务 比个心 笔芯 万岁 放心 人民政府为人民 为人民"
        " 办实事 好公仆 公仆 好干部 比心 爱你们 爱你 爱了 么么哒 感动 温暖 佩服 加油 辛苦"
        " 顺利 健康 愉快 如意 平安 幸福 开心 快乐 吉祥 安康 美满 阖家欢乐 心想事成 步步高升"
        " 好运 nice good great cool perfect awesome goodjob welldone 聪明 可爱 有帮助"
        " 很有帮助 有用 很有用 学到了 长知识了 帮大忙了 帮了大忙 大忙 整挺好 杠杠的 巴适 安逸"
        " 好嘢 美好 好报 有美好的一天 美好的一天 好人有好报 感恩 辛苦咗"
        # stop 32, i13oo (set x): net slang of praise (效率yyds, 绝绝子, tql)
        " yyds 绝绝子 绝了 tql nbcs 太强了 真强 好强 牛哇 牛牛 神速 顶呱呱 呱呱叫 没得说 没话说"
        # stop 35, dialect35 (set af): south-western praise (硬是要得, 巴适得板, 安逸惨了)
        " 要得 硬是要得 要得要得 巴适得板 安逸得板 巴适惨了 安逸惨了 好得很 硬是好"
    ),
)
"""Praise and good wishes: at least one must be in a message for :data:`PRAISE_FRAME` words
around it to be read as a thanks (服务很好, 你们真负责, 祝您生活愉快, 加油)."""

PRAISE_FRAME: tuple[str, ...] = _words(
    "你们 您们 你 您 各位 大家 政府 社区 街道 党 国家 人民"
    " 服务态度 服务 态度 效率 速度 办事 工作 处理 回复 答复"
    " 这个平台 平台 小程序 小助手 机器人 客服 工作人员 这个"
    " 真是 真的 是 的 最 都 就是 简直 实在 确实 果然 还是 蛮"
    " 挺 很 真 太 超级 超 特别 非常 十分 万分 相当 贼 巨 忒 老"
    " 必须 给 为 一个 个 五星 满分 一百分 祝福 祝愿 祝 愿 一切"
    " 身体 工作 生活 全家 家人 天天 永远 一生 今天 每天"
    " 新的一年 今年 这么 那么 就 极了 极 一直 继续 也 又 哦 so"
    " very job 天气 新的一天 一天 大大的 大大 大过年 过年 还"
    " 大半夜 半夜 这么晚 节假日 还在上班 还在加班 还回复"
    " 还在回复 for your help guys all the sir madam lot much"
    " 百忙之中 百忙 抽空 抽出时间 跑一趟 跑腿 上门 老百姓 百姓"
    " 群众 为民 政策 人民政府 点个 点一个 一百 一千 一万 无数"
    " 要 祖国 中国 我 有你们 有你们在 有你 有您 还在工作"
    " 还在忙 还在加班 这么晚了"
    # stop 31, i13kk: a thanks on behalf of others (我代表全家谢谢你们)
    " 代表 全家人 我们全家 一家人 全家老小 我们一家"
    " 跑前跑后 忙前忙后 跑上跑下 东奔西走 奔波 操劳"
    # stop 32, i13oo: a complement of praise (处理得真快, 办得很利索)
    " 得"
)
"""Words that frame a praise without saying anything of their own (subjects, degrees, 祝)."""

CLOSINGS: tuple[str, ...] = _words(
    "回见 回头见 下次见 改天见 明天见 再会 拜拜啦 先这样 先这样吧"
    " 就这样 就这样吧 就这些 就这些了 没其他问题了 没有其他问题了"
    " 没其它问题了 没别的问题了 没有别的问题了 没别的了 没有别的了"
    " 没别的事了 没有别的事了 没其他事了 没有其他事了 没啥事了"
    " 没啥了 没什么事了 没什么了 没事没事 原来如此 原来是这样"
    " 是这样啊 这样啊 这样子啊 那就好 那就行 那好吧 那好 那行"
    " 那就这样 那就算了 那算了 那没事了 已收到 收到啦 已阅 已读"
    " 收悉 知悉 晓得了 晓得啦 晓得 清楚了 了然 懂啦 没错 对头 是滴"
    " 是哒 对哒 要得 得嘞 中嘞 行嘞 妥了 妥妥的 没毛病 木问题 行的"
    " 好哒 好咧 好哦 好噢 好的呢 嗯呐 嗯哪 恩恩 恩 试一下 试试看"
    " 试试 测一下 测试下 点错了 按错了 打错了 输错了 点错 按错"
    " 发错 手滑了 手滑 误触 不小心点到了 撤回了一条消息 嗯哼 哎哟"
    " 哎呦 笑死我了 笑死 好家伙 无语 哇塞 哇哦 wow haode shoudao"
    " enen zhidaole mingbai okk okok gn gm byebye seeyou"
    " 知道怎么办了 我知道怎么办了 知道怎么弄了 知道去哪办了"
    " 知道在哪了 不客气 没关系 没事儿 对不起 抱歉 sorry 考虑一下"
    " 再考虑一下 想想 再想想 再看看 回头再说 以后再说 到时候再说"
    " 再说 这样子 天冷了注意保暖 注意保暖 啊这 绝了 服了 醉了 晕了"
    " 此致敬礼 此致 敬礼 顺祝商祺 顺颂商祺 祝好 哦豁 我的天哪"
    " 我的天 天呐 天哪 omg"
)
"""Acknowledgements and closings beyond :data:`nlp.intent_words.ACKS` (收到啦, 晓得了, 没错,
要得, 先这样, 没其他问题了, 点错了, 笑死)."""

FAREWELLS: tuple[str, ...] = _words(
    "我先下了 我睡了 我走了 睡觉了 去睡了 睡了 先下了 下线了"
    " 先撤了 撤了 先走了 走了 去忙了 忙去了 你忙吧 您忙吧 你先忙"
    " 您先忙 不打扰了 不打扰 不打扰你了 不打扰您了 不打扰你们了"
    " 早点休息 注意休息 好好休息 注意身体 下次再聊 改天再聊"
    " 回头再聊 改天聊 下次聊 回头聊 早点下班 做个好梦 也要休息"
    " 要休息 休息吧 早点睡"
)
"""Leaving, resting and not disturbing (不打扰了, 早点休息, 先下了): looked for before the
greetings, so 打扰了 in 不打扰了 and 早 in 早点休息 are not read as a greeting."""

PLANS: tuple[str, ...] = _words(
    "我 那 就 先 再 会 也 明天 今天 后天 下午 上午 晚上 马上 等会儿"
    " 等会 等下 一会儿 一会 回头 改天 以后 到时候 有空 过去 过来 去"
    " 来 看看 试试 问问 想想 考虑 带材料 等着 等消息 等通知 等回复"
    " 等电话 等你们 等您 等 你们 您 的 电话 消息 通知 回复 注意 记住"
    " 记下了 知道怎么办 知道怎么弄 知道去哪 怎么办了 跟 和 家里人"
    " 家人 商量 商量一下 讨论一下 合计合计"
)
"""What an acknowledgement or a thanks may go on with and stay one (好的，我明天过去;
谢谢，我等你们电话; 知道了，我会注意的): the caller's own next step, naming no matter."""

SETTLED: tuple[str, ...] = _words(
    # stop 34 (branch tri34b): money received (谢谢村里 钱已经到了, 补贴到账了)
    "钱已经到了 钱已到 钱已经到账 钱已经收到 款已经到了"
    " 补贴已经到了 已经到账 补贴到账了 补贴到账 工资到账了"
    " 工资到了 钱到了 钱到 钱收到了 钱收到 款到了 款到"
    " 补贴到了 到账了 到账 收到了 到了"
    " 已经 已 都 终于 问题 事情 好 修好 解决 来过 来电 来水 水来"
    " 有水 有电 通 处理 处理完 处理好 办好 办完 完 弄好 搞定 恢复"
    " 今天 昨天 刚才 刚刚"
    # someone in touch already (谢谢，已经有人联系我了; stop 28, set n)
    " 有人联系我 有人联系过我 有人联系了我 有人联系上我 有人联系"
    " 联系我 联系过我 联系了我 联系上我 联系上了"
    " 有人给我打电话 有人给我打过电话 有人打电话 有人打过电话"
    " 给我打电话 给我打过电话 打过电话 回过电话 有人来 上门 来人"
)
"""What a thanks may say was done (谢谢，已经好了; 终于解决了，太感谢了): a thanks still,
unless anything else (还没, 又) is left."""

ACKS_ALONE = frozenset("中成妥懂得是对行好嗯恩哦噢喔晕呵切")
"""One-character answers that are an acknowledgement only when they are the whole message
(中 in Henan, 成, 妥, 得 in Cantonese): inside a sentence they are ordinary words."""
