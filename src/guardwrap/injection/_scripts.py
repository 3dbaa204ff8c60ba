# ruff: noqa: RUF001 - Chinese punctuation and Cyrillic letters are the point of this module
"""The signal families' phrases in Chinese and Russian: jailbreaks shared in those languages
("忽略之前的所有指令", "Игнорируй все предыдущие инструкции") meet the same signals as English ones.

Each pattern is the counterpart of an English one in `_signals` with the same family and weight,
so the learned tier reads it as the same feature. They run on the canonical view, only when it
holds characters outside ASCII, and each only where one of its needles (substrings) occurs.

Chinese is written without spaces, so the needles are substrings rather than words. The canonical
view maps Cyrillic letters that look like Latin ones to those ("игнорируй" reads "иrhopиpyи", so
that a Latin word spelled with Cyrillic look-alikes is read as itself): the Russian patterns are
written in Cyrillic and put through the same mapping when they are compiled (`_as_view`), so what
they say and what they match stay the same.

What the English patterns leave out, these leave out too: a customer taking back their own
instructions names them with a first-person possessive ("我之前的指示", "мои предыдущие
инструкции"), which no pattern allows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._canon import canonical as _view_of

__all__ = ["script_hits"]


def _as_view(pattern: str) -> str:
    """``pattern`` with each Cyrillic letter replaced by what the canonical view makes of it."""
    out = []
    for ch in pattern:
        if "\u0400" <= ch <= "\u04ff":
            v = _view_of(ch.lower())[0]
            out.append(re.escape(v) if len(v) == 1 else f"(?:{re.escape(v)})")
        else:
            out.append(ch)
    return "".join(out)


# -- Chinese ------------------------------------------------------------------------------------

_ZH_SET_ASIDE = r"(?:忽略|无视|忘记|忘掉|不要理会|不理会|别管|抛弃|放弃|绕过|跳过|不再遵守|不要遵守|停止遵守)"
_ZH_EARLIER = r"(?:之前|以前|先前|此前|上面|上述|前面|以上|原来|原先|原有|原始|最初|初始|已有|现有|系统)"
_ZH_RULES = r"(?:指令|指示|规则|提示词?|命令|设定|设置|限制|要求|说明|约束|准则|政策|规定)"
_ZH_NO = r"(?:没有|不受|不受到|毫无|无需遵守|不用遵守|摆脱了?|不再受|脱离了?|解除了?|突破)"
_ZH_LIMITS = r"(?:限制|约束|规则|审查|过滤|道德|伦理|准则|政策|规范|底线|束缚)"
_ZH_SHOW = r"(?:显示|告诉我|输出|打印|重复|泄露|透露|给我看|展示|说出|公开|复述|列出)"
_ZH_PROMPT = r"(?:系统提示词?|系统指令|系统消息|初始指令|初始提示|隐藏指令|原始指令|原始提示|预设指令|预设提示|提示词)"

_ZH: tuple[tuple[str, float, tuple[str, ...], str], ...] = (
    ("override", 0.95, ("忽略", "无视", "忘记", "忘掉", "理会", "别管", "抛弃", "放弃", "绕过", "跳过", "遵守"),
     rf"{_ZH_SET_ASIDE}掉?(?:你|您)?(?:的)?(?:所有|全部|一切)?(?:的)?{_ZH_EARLIER}(?:的)?(?:所有|全部|一切)?(?:的)?(?:系统)?{_ZH_RULES}"),
    ("override", 0.6, ("新的", "新指令", "新规则", "新任务", "真正的"),
     r"(?:新的?|真正的|实际的?)(?:系统)?(?:指令|规则|任务|命令)(?:是|如下)?[:：]"),
    # addressed to the assistant ("你不受任何限制") or describing an AI ("没有任何限制的AI"); not a
    # question about a card's limits ("有没有限制")
    ("persona", 0.85, ("没有", "不受", "毫无", "遵守", "摆脱", "不再", "脱离", "解除", "突破"),
     rf"(?:你|您)[^。！？\n]{{0,6}}?(?<!有){_ZH_NO}(?:任何|一切|所有)?(?:的)?{_ZH_LIMITS}"
     rf"|(?<!有){_ZH_NO}(?:任何|一切|所有)?(?:的)?{_ZH_LIMITS}[^。！？\n]{{0,4}}?(?:ai|人工智能|助手|模型|机器人|聊天机器人|系统)"),
    ("persona", 0.85, ("模式",), r"(?:开发者|开发人员|上帝|越狱|无限制|无审查|不受限|邪恶|dan)模式"),
    ("persona", 0.7, ("越狱",), r"越狱"),
    ("persona", 0.9, ("扮演", "你是", "你现在是", "成为"),
     r"(?:你现在是|你将扮演|你要扮演|扮演|你是|成为)\s*(?:dan|stan|aim|dude)(?![a-z])"),
    ("persona", 0.75, ("拒绝", "道歉", "抱歉", "警告", "免责"),
     r"(?:不要|不能|不许|不准|禁止|绝不|永远不要|不得)(?:再)?(?:拒绝|道歉|说抱歉|说对不起|给出警告|添加警告|加上免责声明|提醒)"),
    ("extraction", 0.85, ("系统", "指令", "提示", "预设"),
     rf"{_ZH_SHOW}(?:一下|出)?(?:你|您)?(?:的)?(?:完整的?|全部的?)?{_ZH_PROMPT}"
     rf"|把(?:你|您)?(?:的)?(?:完整的?|全部的?)?{_ZH_PROMPT}[^。！？\n]{{0,8}}?{_ZH_SHOW}"),
)

# -- Russian ------------------------------------------------------------------------------------

_RU_SET_ASIDE = (r"(?:игнорируй(?:те)?|проигнорируй(?:те)?|игнорировать|забудь(?:те)?|забыть|отбрось(?:те)?|"
                 r"не\s+обращай(?:те)?\s+внимания\s+на|пропусти(?:те)?|отмени(?:те)?|обойди(?:те)?)")
_RU_EARLIER = (r"(?:предыдущие|прежние|предшествующие|вышеуказанные|вышеприведённые|вышеприведенные|старые|"
               r"исходные|первоначальные|изначальные|системные|данные\s+(?:тебе\s+)?ранее|ранее\s+данные)")
_RU_RULES = r"(?:инструкции|указания|правила|команды|ограничения|установки|директивы|промпты?|запреты)"
_RU_NO = r"(?:без|нет|никаких|свободен\s+от|свободна\s+от|не\s+ограничен[а]?)"
_RU_LIMITS = r"(?:ограничений|ограничения|правил|фильтров|цензуры|морали|этики|запретов|рамок)"
_RU_SHOW = (r"(?:покажи(?:те)?|выведи(?:те)?|раскрой(?:те)?|повтори(?:те)?|напиши(?:те)?|скажи(?:те)?|"
            r"распечатай(?:те)?|сообщи(?:те)?|дай(?:те)?)")
_RU_PROMPT = (r"(?:системный\s+(?:промпт|запрос|промт)|системные\s+(?:инструкции|указания)|скрытые\s+инструкции|"
              r"исходные\s+инструкции|первоначальные\s+инструкции|системное\s+сообщение)")

_RU: tuple[tuple[str, float, tuple[str, ...], str], ...] = (
    ("override", 0.95, ("игнор", "забуд", "забыть", "отбрось", "обращай", "пропусти", "отмени", "обойди"),
     rf"\b{_RU_SET_ASIDE}\s+(?:все\s+|всё\s+|любые\s+)?(?:свои\s+|твои\s+|ваши\s+|эти\s+)?{_RU_EARLIER}\s+{_RU_RULES}\b"),
    ("override", 0.8, ("забуд",), r"\bзабудь(?:те)?\s+(?:всё|все),?\s+что\s+(?:тебе|вам)\s+(?:говорили|сказали|велели)"),
    # an AI, or an answer, without limits (as `_languages`' "answer without filters": 0.75); not a
    # card "без ограничений"
    ("persona", 0.75, ("без", "нет", "никаких", "свобод", "огранич"),
     rf"\b(?:отвечай(?:те)?|отвечать|говори(?:те)?|пиши(?:те)?|ии|ai|ассистент|модель|бот|чат-бот|нейросеть)\b"
     rf"[^.!?\n]{{0,40}}?\b{_RU_NO}\s+(?:каких-либо\s+|никаких\s+|любых\s+|всяких\s+)?{_RU_LIMITS}\b"),
    ("persona", 0.85, ("режим",), r"\bрежим(?:е|а)?\s+(?:разработчика|бога|dan|джейлбрейка|без\s+ограничений)\b"),
    ("extraction", 0.85, ("систем", "скрыт", "исходн", "первоначальн"),
     rf"\b{_RU_SHOW}\s+(?:мне\s+)?(?:свой\s+|свои\s+|твой\s+|твои\s+|ваш\s+|ваши\s+|своё\s+|свое\s+)?{_RU_PROMPT}\b"),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, float, tuple[str, ...], re.Pattern[str]], ...]:
    """The patterns compiled once (the Russian ones mapped as the view maps Cyrillic)."""
    out = [(sig, w, needles, re.compile(p)) for sig, w, needles, p in _ZH]
    out += [(sig, w, tuple(_view_of(n)[0] for n in needles), re.compile(_as_view(p))) for sig, w, needles, p in _RU]
    return tuple(out)


def script_hits(view: str, signals: frozenset[str]) -> list[tuple[str, float, int, int]]:
    """``(family, weight, start, end)`` (view offsets) of the Chinese and Russian patterns in
    ``view`` whose family is in ``signals``; nothing for an ASCII view."""
    if view.isascii():
        return []
    hits = []
    for sig, w, needles, rx in _compiled():
        if sig in signals and any(n in view for n in needles):
            m = rx.search(view)
            if m is not None:
                hits.append((sig, w, m.start(), m.end()))
    return hits
