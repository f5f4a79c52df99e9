"""Гриф «КОММЕРЧЕСКАЯ ТАЙНА» (UZ app. 3 §9; Federal law 98-FZ art. 10 part 5: the marking names the holder and its
address). Every rendering of a trade-secret RID's content carries :func:`marking_text`: the page's banner, the first
line of a text export, the title page and the header of a DOCX or PDF."""

from __future__ import annotations

from ridbook.tradesecret.models import Regime

MARK = "КОММЕРЧЕСКАЯ ТАЙНА"  # i18n: ru-only (the statutory marking, the same in every language)


def holder_of(regime: Regime) -> tuple[str, str]:
    """The holder's name and address: as recorded in the regime, else the organization's."""
    organization = regime.organization
    name = regime.holder_name or getattr(organization, "name", "")
    address = regime.holder_address  # the organization keeps no address: the regime records it
    return name, address


def marking_text(regime: Regime) -> str:
    """«КОММЕРЧЕСКАЯ ТАЙНА. Обладатель: …, адрес: …» in one line."""
    name, address = holder_of(regime)
    parts = [MARK, f"Обладатель: {name}"]  # i18n: ru-only (the marking is in the document's language, Russian)
    if address:
        parts.append(f"адрес: {address}")  # i18n: ru-only (as above)
    return ". ".join(parts[:2]) + (f", {parts[2]}" if len(parts) > 2 else "")
