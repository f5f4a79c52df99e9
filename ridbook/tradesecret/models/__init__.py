"""Режим коммерческой тайны (SPEC §10). One module per aggregate; import the models from here."""

from ridbook.tradesecret.models.access import AccessGrant
from ridbook.tradesecret.models.copies import Copy
from ridbook.tradesecret.models.inventory import Inventory, InventoryEntry
from ridbook.tradesecret.models.journal import JournalAction, JournalEntry, JournalHead
from ridbook.tradesecret.models.regime import Regime
from ridbook.tradesecret.models.sealed import SealedContent, SealedFile
from ridbook.tradesecret.models.use import TransferContract, UseOrder

__all__ = [
    "AccessGrant",
    "Copy",
    "Inventory",
    "InventoryEntry",
    "JournalAction",
    "JournalEntry",
    "JournalHead",
    "Regime",
    "SealedContent",
    "SealedFile",
    "TransferContract",
    "UseOrder",
]
