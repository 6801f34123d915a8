"""The typography checker: reads the lines of the portal's PDFs and pages as they were laid out and
reports where a line breaks as a careful Thai typesetter would not (issue 16).

lines.py (what is read, what is reported) · words.py (the vocabulary) · rules.py (the rules) ·
pdf.py (PDF → lines) · pages.py (a page in Chromium → lines) · allowed.yaml (known false positives).
The package imports nothing from the portal's apps but the Thai helpers: the management command
(reports/management/commands/check_typography.py) brings documents, pages and names to it."""
