"""Numbers in running text, read by value with each locale's conventions.

12,614 (en, es-419, zh) = 12.614 (pt-BR); 770 million = 770 millones = 7.7亿; USD 500 billion =
500 mil millones (es, long scale) = 500 bilhões (pt, short scale) = 5000亿; 2023年7月 has the month 7
that "July 2023" writes as a word; "siglo XXI" is the 21st century; 五分之一 is 1/5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

# Scale words, longest first. English and pt-BR count in the short scale, es in the long one
# (mil millones = 10^9, billón = 10^12), Chinese in myriads (万 = 10^4, 亿 = 10^8).
SCALES = {
    "en": [("trillion", 1e12), ("billion", 1e9), ("million", 1e6), ("thousand", 1e3)],
    "es": [("mil millones", 1e9), ("billones", 1e12), ("billón", 1e12), ("millones", 1e6), ("millón", 1e6),
           ("mil", 1e3)],
    "pt": [("trilhões", 1e12), ("trilhão", 1e12), ("bilhões", 1e9), ("bilhão", 1e9), ("milhões", 1e6),
           ("milhão", 1e6), ("mil", 1e3)],
    "zh": [("万亿", 1e12), ("亿", 1e8), ("百万", 1e6), ("万", 1e4), ("千", 1e3)],
}
MONTH_LANGUAGES = ("en", "es", "pt")    # where a month is written as a word (Chinese: 7月)
WORDS = {   # number words a translator may write instead of digits
    "en": {1: ["one", "first"], 2: ["two", "second"], 3: ["three", "third"], 4: ["four", "fourth"],
           5: ["five", "fifth"], 6: ["six", "sixth"], 7: ["seven"], 8: ["eight"], 9: ["nine"], 10: ["ten"],
           0.2: ["one fifth"], 1 / 3: ["one third"], 0.5: ["half"]},
    "es": {1: ["uno", "una", "primer", "primera", "primero"], 2: ["dos", "segundo", "segunda"],
           3: ["tres", "tercer", "tercero", "tercera"], 4: ["cuatro", "cuarto"], 5: ["cinco", "quinto"],
           6: ["seis"], 7: ["siete"], 8: ["ocho"], 9: ["nueve"], 10: ["diez"], 0.2: ["quinta parte"],
           1 / 3: ["tercio", "tercera parte"], 0.5: ["mitad"]},
    "pt": {1: ["um", "uma", "primeiro", "primeira"], 2: ["dois", "duas", "segundo", "segunda"],
           3: ["três", "terceiro", "terceira"], 4: ["quatro", "quarto"], 5: ["cinco", "quinto"], 6: ["seis"],
           7: ["sete"], 8: ["oito"], 9: ["nove"], 10: ["dez"], 0.2: ["quinto"], 1 / 3: ["terço"],
           0.5: ["metade"]},
    "zh": {},
}
CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# Names that contain digits but are no quantity; the translation may name them otherwise.
NAMES = re.compile(r"COVID-19|SARS-CoV-2|G-?77|G20|A/HRC/RES/\d+/\d+|77国集团|Grupo d(?:e los|os) 77",
                   re.IGNORECASE)
# What carries digits without being running text: citations, note references, URLs, link targets.
NOT_TEXT = re.compile(r"\[[^\[\]]*@[^\[\]]*\]|@[\w:.#$%&+?<>~/-]+|\[\^\d+\]|\]\([^)]*\)|<?https?://[!-~]+"
                      r"|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z][A-Za-z.]+")


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    scaled: bool = False      # written with a scale word: a rounded value


@lru_cache(maxsize=None)
def _pattern(tag: str):
    language = tag.split("-")[0]
    locale = Locale.parse(tag, sep="-")
    dec, grp = get_decimal_symbol(locale), get_group_symbol(locale)
    groups = "".join(re.escape(g) for g in {grp, "\u00a0", "\u202f", " " if language in ("es", "pt") else ""} if g)
    number = rf"\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{re.escape(dec)}\d+)?|\d+(?:{re.escape(dec)}\d+)?"
    scales = "|".join(re.escape(w) for w, _ in SCALES.get(language, []))
    scale = rf"(?:\s?(?P<scale>{scales})(?![a-záéíóúãõç]))?" if scales else ""
    # Not inside a word or a longer number; a Han character before digits is fine (2023年7月).
    # (a currency code may stand right before its amount: USD17,093)
    return re.compile(rf"(?-i:(?<![0-9a-z_.,/]))(?P<num>{number})(?![/\d]){scale}",
                      re.IGNORECASE if language != "zh" else 0), dec, grp


@lru_cache(maxsize=None)
def _months(language: str) -> tuple[re.Pattern, dict[str, int]] | None:
    if language not in MONTH_LANGUAGES:
        return None
    names = list(get_month_names("wide", locale=language).values())
    # "May" is a month only before a day or a year; elsewhere it is the verb.
    alternatives = "|".join(rf"{name}(?=\s+\d)" if name == "May" else name for name in names)
    flags = 0 if language == "en" else re.IGNORECASE
    return re.compile(rf"\b(?:{alternatives})\b", flags), {name.lower(): n for n, name in enumerate(names, 1)}


@lru_cache(maxsize=4096)        # a source text is read once for every language
def numbers(text: str, tag: str) -> tuple[Number, ...]:
    """The quantities in a text: digits (with scale words), months, ordinals, centuries, fractions."""
    return tuple(_numbers(text, tag))


def _numbers(text: str, tag: str) -> list[Number]:
    language = tag.split("-")[0]
    text = NAMES.sub(" ", NOT_TEXT.sub(" ", text))
    text = text.replace("\\", "")
    found: list[Number] = []

    def fraction(match):
        found.append(Number(int(match.group(1)) / int(match.group(2)), match.group(0)))
        return " "
    text = re.sub(r"(?<![\w/])(\d{1,2})/(\d{1,3})(?![\w/])", fraction, text)
    if language == "zh":
        text = _chinese(text, found)
    pattern, dec, grp = _pattern(tag)
    scale_values = dict((w.lower(), v) for w, v in SCALES.get(language, []))
    for match in pattern.finditer(text):
        raw = match.group("num")
        value = float(re.sub(rf"[{re.escape(grp)}\u00a0\u202f ]", "", raw).replace(dec, "."))
        scale = match.group("scale") if "scale" in pattern.groupindex else None
        if scale:
            value *= scale_values[scale.lower()]
        found.append(Number(value, match.group(0), bool(scale)))
    months = _months(language)
    if months is not None:
        pattern, index = months
        found.extend(Number(index[match.group(0).lower()], match.group(0)) for match in pattern.finditer(text))
    if language in ("es", "pt"):
        for match in re.finditer(r"\b(?:siglo|século|siglos|séculos)\s+([IVXLC]+)\b", text):
            found.append(Number(_roman(match.group(1)), match.group(0)))
    return found


def _chinese(text: str, found: list[Number]) -> str:
    """Read the Chinese forms that carry numbers without Arabic digits, and the decade form 20世纪70年代."""
    century = [20]

    def decade(match):
        if match.group(1):
            century[0] = int(match.group(1))
        found.append(Number((century[0] - 1) * 100 + int(match.group(2)), match.group(0)))
        return " "
    # 20世纪70年代和80年代: the 1970s and 1980s (a decade without its century takes the last one named)
    text = re.sub(r"(?:(\d+)世纪|上世纪)?(\d{2})年代", decade, text)

    def fraction(match):
        denominator, numerator = _cjk(match.group(1)), _cjk(match.group(2))
        found.append(Number(numerator / denominator, match.group(0)))
        return " "
    digits = "".join(CJK_DIGITS) + "".join(CJK_UNITS)
    text = re.sub(rf"([{digits}\d]+)分之([{digits}\d]+)", fraction, text)

    def ordinal(match):
        found.append(Number(_cjk(match.group(1)), match.group(0)))
        return " "
    return re.sub(rf"第([{digits}]+)", ordinal, text)


def _cjk(text: str) -> int:
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in CJK_DIGITS:
            current = CJK_DIGITS[char]
        elif char in CJK_UNITS:
            total += (current or 1) * CJK_UNITS[char]
            current = 0
    return total + current


def _roman(text: str) -> int:
    values = [ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def in_words(value: float, text: str, tag: str) -> bool:
    """Whether ``text`` writes ``value`` in words (tres, três, 三, 五分之一 ...)."""
    language = tag.split("-")[0]
    if language == "zh":
        if value == int(value) and 0 < value < 100:
            n = int(value)
            forms = {_to_cjk(n)} | ({"两"} if n == 2 else set())
            return any(form in text for form in forms)
        return False
    words = WORDS.get(language, {})
    for key, forms in words.items():
        if abs(key - value) < 1e-9 and any(re.search(rf"\b{re.escape(f)}\b", text, re.IGNORECASE) for f in forms):
            return True
    return False


def _to_cjk(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def compare(source: str, translation: str, source_tag: str, target_tag: str) -> list[str]:
    """Problems with the numbers of a translation: values missing, values added."""
    wanted = numbers(source, source_tag)
    got = numbers(translation, target_tag)
    unmatched = list(got)
    problems = []
    for number in wanted:
        match = next((g for g in unmatched if _same(number, g)), None)
        if match is not None:
            unmatched.remove(match)
        elif not in_words(number.value, translation, target_tag):
            problems.append(f"expected the number {number.text!r} ({_show(number.value)}), not found")
    for extra in unmatched:
        if not in_words(extra.value, source, source_tag):
            problems.append(f"found the number {extra.text!r} ({_show(extra.value)}), which the source does not have")
    return problems


def _same(a: Number, b: Number) -> bool:
    if a.value == b.value:
        return True
    if a.scaled or b.scaled:   # 1.26万 for 12,614: a rounded value written with a scale word
        return abs(a.value - b.value) <= 0.01 * max(abs(a.value), abs(b.value))
    return abs(a.value - b.value) < 1e-9 * max(1.0, abs(a.value))


def _show(value: float) -> str:
    return f"{value:,.10g}"
