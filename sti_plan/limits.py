"""Every limit on what sti-plan reads, in one place (README's "Limits" lists them).

Past a limit a file is refused with one line and exit 2 (sizes), or its reading stops
with a problem at the line where it was reached (line length), or a value is refused
(digits); nothing is cut short in silence.
"""

from __future__ import annotations

# Files, counted in bytes read (a pipe or device reports no size).
MAX_ACTUALS_BYTES = 2 * 1024**3
MAX_PLAN_BYTES = 5 * 1024 * 1024
MAX_LINE_CHARS = 1 << 20  # longer lines are no table's (all NULs, say, or no line ends)
# Workbooks: the reader holds a sheet's whole extent (first cell to last) in memory.
MAX_WORKBOOK_UNPACKED_BYTES = 1024**3  # a zipped workbook's parts, unpacked
MAX_SHEET_ROWS = 1_048_576  # Excel's own limits
MAX_SHEET_COLUMNS = 16_384
MAX_SHEET_CELLS = 10_000_000  # rows x columns of the extent read
MAX_TEXT_CHARS = 1000  # of a plan's names, titles and quotes
HEADER_SEARCH_ROWS = 20  # a table's header is looked for among its first rows with cells
# Numbers: far beyond any real statistic, and within what 28-digit decimal arithmetic
# keeps exact. Actuals values and plan numbers alike.
LARGEST_EXPONENT = 15  # numbers are below 10^15
MAX_DIGITS = 20
MAX_PLACES = 12
