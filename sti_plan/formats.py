"""The output formats the commands offer; kept apart so the CLI can name them without rich."""

from __future__ import annotations

from enum import Enum


class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class DocumentFormat(str, Enum):
    """What `report` writes: a page or a workbook to pass on."""

    HTML = "html"
    XLSX = "xlsx"


class ReportFormat(str, Enum):
    TEXT = "text"
    GITHUB = "github"
    JSON = "json"


SCHEMA_VERSION = 1
