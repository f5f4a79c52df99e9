"""Import and export of the registry as spreadsheets: ``export.py`` writes, ``importer.py`` reads."""

from ridbook.registry.io.export import csv_stream, export_csv, export_records, export_xlsx, xlsx_bytes
from ridbook.registry.io.importer import registry_import
from ridbook.registry.io.report import ImportReport, Problem

__all__ = [
    "ImportReport",
    "Problem",
    "csv_stream",
    "export_csv",
    "export_records",
    "export_xlsx",
    "registry_import",
    "xlsx_bytes",
]
