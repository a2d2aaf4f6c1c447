"""Amounts in Vietnamese words, for receipts: 156000 → "Một trăm năm mươi sáu nghìn đồng"."""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


def _three(n: int, full: bool) -> str:
    """0..999; `full` when a higher group precedes (so 5 reads "không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """The amount in words with "đồng", capitalised."""
    if amount < 0:
        return "Âm " + amount_in_words(-amount).lower()
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    n = amount
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            continue
        higher = index < len(groups) - 1
        name = _GROUPS[index] if index < len(_GROUPS) else ""
        parts.append(_three(g, higher) + (f" {name}" if name else ""))
    text = " ".join(parts) + " đồng"
    return text[0].upper() + text[1:]
