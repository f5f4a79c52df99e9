"""Режим коммерческой тайны (SPEC §10). One module per aggregate; import the models from here."""

from ridbook.tradesecret.models.regime import Regime

__all__ = ["Regime"]
