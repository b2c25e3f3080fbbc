"""How numbers read in the assessment: thousands separators, signed changes, "n/a".

>>> count(58627), pct(9.04), pct(None), signed(-123)
('58,627', '9.0%', 'n/a', '−123')
"""

from __future__ import annotations


def count(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{round(value):,}"


def decimal(value: float | None, places: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{places}f}"


def pct(value: float | None, places: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{places}f}%"


def signed(value: float | None) -> str:
    if value is None:
        return "n/a"
    rounded = round(value)
    return f"+{rounded:,}" if rounded > 0 else f"−{abs(rounded):,}" if rounded < 0 else "0"


def signed_pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"+{value:.1f}%" if value > 0 else f"−{abs(value):.1f}%" if value < 0 else "0.0%"
