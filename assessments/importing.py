"""The score file: one wide table, one row per organisation and fiscal year, shared by the page
upload, `manage.py import_scores` and the export, so that an exported file re-imports unchanged.

Columns (header row 1, case-insensitive): `organisation`, optional `province`, `fiscal_year`,
`overall`, `level`, the tool codes (`IIT`…), the indicators as `ind_<number>` and the item codes
(`i1`, `o12`…). A blank cell is "not given" and leaves the stored figure as it is.

An import is all or nothing: every cell is checked first and every error is reported with its
spreadsheet row and column; a single error and nothing is written. See docs/import.md.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from itaportal import tables
from itaportal.accounts.models import Organisation
from itaportal.audit.services import audit_each
from itaportal.tables import FORMULA_START, CellError, TableFileError
from itaportal.thai import to_arabic_digits

from .forms import clean_score
from .models import Assessment, Framework, Indicator, IndicatorScore, Item, ItemScore, Tool, ToolScore
from .services import figure

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000  # rows of scores, not counting the header
MAX_COLUMNS = 300
# An XLSX is a zip: a few MB can inflate to gigabytes of XML. Refused before openpyxl sees it.
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
BATCH_SIZE = 2000

ORGANISATION, PROVINCE, FISCAL_YEAR, OVERALL, LEVEL = (
    "organisation",
    "province",
    "fiscal_year",
    "overall",
    "level",
)
FIXED_HEADERS = [ORGANISATION, PROVINCE, FISCAL_YEAR, OVERALL, LEVEL]
INDICATOR_PREFIX = "ind_"
# A score never starts with FORMULA_START (a formula to spreadsheet programs), so such a cell is
# refused on import and escaped on export.
ESCAPE_START = FORMULA_START + ("\t", "\r")

_WHITESPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\d{4}")


class ScoreFileError(TableFileError):
    """A score file that cannot be read as a table at all, with a message fit for the person who sent it."""


@dataclass
class ImportResult:
    created: int = 0  # assessments the file started
    updated: int = 0  # existing assessments the file wrote to
    errors: list[CellError] = field(default_factory=list)


# --- reading a file -------------------------------------------------------------------------


def read_table(file, filename: str) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, row by row; formulas come back as their text.

    The foundation's reader (itaportal/tables.py) with the score file's larger limits; its errors
    come back as ScoreFileError, which the score pages and commands catch."""
    try:
        return tables.read_table(
            file,
            filename,
            MAX_ROWS,
            max_file_bytes=MAX_FILE_BYTES,
            max_columns=MAX_COLUMNS,
            max_uncompressed=MAX_XLSX_UNCOMPRESSED,
            too_many_rows=_("The file has more than %(max)s rows of scores. Split it into several files."),
        )
    except TableFileError as error:
        raise ScoreFileError(str(error)) from None


# --- importing --------------------------------------------------------------------------------


@dataclass
class _Catalogue:
    """What one fiscal year's framework accepts, keyed by the normalised header."""

    framework: Framework
    targets: dict[str, Tool | Indicator | Item]
    level_names: list[str]
    level_rules: list[dict]


def _catalogues() -> dict[int, _Catalogue]:
    catalogues = {}
    # Offices record results only against published frameworks (see Framework).
    published = Framework.objects.filter(state=Framework.State.PUBLISHED)
    for framework in published.prefetch_related("tools", "indicators", "items", "level_rules"):
        targets: dict[str, Tool | Indicator | Item] = {
            tool.code.lower(): tool for tool in framework.tools.all()
        }
        targets.update({f"{INDICATOR_PREFIX}{ind.number}".lower(): ind for ind in framework.indicators.all()})
        targets.update({item.code.lower(): item for item in framework.items.all()})
        rules = list(framework.level_rules.all())
        # The snapshot every assessment started by this import keeps (see Assessment.level_rules).
        snapshot = [rule.as_snapshot() for rule in rules]
        catalogues[framework.fiscal_year] = _Catalogue(
            framework, targets, [rule.name for rule in rules], snapshot
        )
    return catalogues


def _code_key(text: str) -> str:
    return _WHITESPACE.sub("", to_arabic_digits(text))


def _name_key(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _province_key(text: str) -> str:
    text = _name_key(text)
    for prefix in ("จังหวัด", "จ."):
        text = text.removeprefix(prefix)
    return text


class _Organisations:
    """Organisations looked up by slug, then document code, then full or short name."""

    def __init__(self, organisations, only: Organisation | None):
        self.only = only
        self.by_slug: dict[str, Organisation] = {}
        self.by_code: dict[str, list[Organisation]] = defaultdict(list)
        self.by_name: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in organisations:
            self.by_slug[organisation.slug.lower()] = organisation
            if organisation.document_code:
                self.by_code[_code_key(organisation.document_code)].append(organisation)
            self.by_name[_name_key(organisation.full_name)].append(organisation)
            self.by_name[_name_key(organisation.short_name)].append(organisation)

    def resolve(self, text: str, province: str) -> tuple[Organisation | None, str]:
        """The organisation the cell names, or None and why not."""
        if text.lower() in self.by_slug:
            candidates = [self.by_slug[text.lower()]]
        else:
            candidates = self.by_code.get(_code_key(text)) or self.by_name.get(_name_key(text), [])
        if not candidates:
            if self.only:
                # The same answer whether the organisation exists elsewhere or not at all.
                return None, _("This file can only hold rows of %(organisation)s.") % {
                    "organisation": self.only.short_name
                }
            return None, _(
                "No organisation matches “%(value)s”: use its slug, document code or full name."
            ) % {"value": text}
        if province:
            in_province = [o for o in candidates if _province_key(o.province.name) == _province_key(province)]
            if not in_province:
                return None, _("%(organisation)s is not in the province “%(province)s”.") % {
                    "organisation": candidates[0].short_name,
                    "province": province,
                }
            candidates = in_province
        if len(candidates) > 1:
            return None, _(
                "“%(value)s” matches several organisations (%(provinces)s): fill in the province column."
            ) % {
                "value": text,
                "provinces": ", ".join(sorted(o.province.name for o in candidates)),
            }
        return candidates[0], ""


@dataclass
class _Row:
    organisation: Organisation
    catalogue: _Catalogue
    overall: Decimal | None
    level: str | None
    scores: list[tuple[Tool | Indicator | Item, Decimal]]


def _score(text: str) -> tuple[Decimal | None, str]:
    try:
        return clean_score(text), ""
    except forms.ValidationError as error:
        return None, " ".join(error.messages)


class _Checker:
    """Checks a table cell by cell, collecting every error, and keeps the rows that are right."""

    def __init__(self, header_row: list[str], only_organisation: Organisation | None):
        self.errors: list[CellError] = []
        self.rows: list[_Row] = []
        self.labels = [cell.strip() for cell in header_row]
        self.headers = [label.lower() for label in self.labels]
        self.catalogues = _catalogues()
        self.only_organisation = only_organisation
        # Header -> column index, for the columns whose cells are read.
        self.columns: dict[str, int] = {}
        # (organisation, fiscal year) -> the row that holds it, to refuse a second one.
        self.seen: dict[tuple[int, int], int] = {}

    def error(self, row: int, column: int | None, message: str) -> None:
        letter = get_column_letter(column + 1) if column is not None else ""
        label = self.labels[column] if column is not None and column < len(self.labels) else ""
        self.errors.append(CellError(row, letter, label, message))

    def check_header(self) -> bool:
        """Whether the rows can be read: the organisation and the fiscal year columns are there."""
        known = set(FIXED_HEADERS).union(*(catalogue.targets for catalogue in self.catalogues.values()))
        for index, header in enumerate(self.headers):
            if not header:
                continue
            if header in self.columns:
                self.error(
                    1,
                    index,
                    _("This column repeats column %(column)s.")
                    % {"column": get_column_letter(self.columns[header] + 1)},
                )
            elif header not in known:
                self.error(
                    1,
                    index,
                    _(
                        "Unknown column. Use organisation, province, fiscal_year, overall, level, "
                        "a tool code (IIT), an indicator (ind_1, ind_9.1) or an item code (i1, e5, o12)."
                    ),
                )
            else:
                self.columns[header] = index
        missing = [name for name in (ORGANISATION, FISCAL_YEAR) if name not in self.columns]
        for name in missing:
            self.errors.append(CellError(1, "", name, _("The column %(name)s is missing.") % {"name": name}))
        return not missing

    def organisations(self) -> _Organisations:
        if self.only_organisation:
            # The page upload never looks at other organisations, so it cannot tell whether they exist.
            return _Organisations([self.only_organisation], self.only_organisation)
        return _Organisations(
            Organisation.objects.select_related("province").only(
                "slug", "kind", "name", "document_code", "province", "province__name"
            ),
            None,
        )

    def check_row(self, number: int, cells: list[str], organisations: _Organisations) -> None:
        errors_before = len(self.errors)
        values: dict[int, str] = {}
        for index, raw in enumerate(cells):
            text = raw.strip()
            header = self.headers[index] if index < len(self.headers) else ""
            if not text or (header and self.columns.get(header) != index):
                # Blank, or in a column whose header already has an error.
                continue
            if text.startswith(FORMULA_START):
                self.error(
                    number,
                    index,
                    _(
                        "Formulas and cells starting with =, +, - or @ are not accepted: "
                        "type the number itself."
                    ),
                )
            elif not header:
                self.error(number, index, _("This column has no header, so its value cannot be imported."))
            else:
                values[index] = text

        def cell(name: str) -> str:
            return values.get(self.columns[name], "") if name in self.columns else ""

        def refused(name: str) -> bool:
            """A cell already refused as a formula: one error per cell is enough."""
            index = self.columns[name]
            return index < len(cells) and cells[index].strip().startswith(FORMULA_START)

        def column_error(name: str, message: str) -> None:
            self.error(number, self.columns[name], message)

        organisation = catalogue = None
        if cell(ORGANISATION):
            organisation, why = organisations.resolve(cell(ORGANISATION), cell(PROVINCE))
            if organisation is None:
                column_error(ORGANISATION, why)
        elif not refused(ORGANISATION):
            column_error(ORGANISATION, _("Name the organisation: its slug, document code or full name."))
        if cell(FISCAL_YEAR):
            catalogue = self._catalogue(cell(FISCAL_YEAR), lambda message: column_error(FISCAL_YEAR, message))
        elif not refused(FISCAL_YEAR):
            column_error(FISCAL_YEAR, _("Fill in the fiscal year, such as 2567."))
        if organisation and catalogue:
            key = (organisation.pk, catalogue.framework.fiscal_year)
            if key in self.seen:
                column_error(
                    ORGANISATION,
                    _("Row %(row)s already holds this organisation and fiscal year.")
                    % {"row": self.seen[key]},
                )
            else:
                self.seen[key] = number

        overall, why = _score(cell(OVERALL))
        if why:
            column_error(OVERALL, why)
        level = cell(LEVEL) or None
        if level and catalogue and level not in catalogue.level_names:
            column_error(
                LEVEL,
                _("Fiscal year %(year)s has no level “%(level)s”; use one of: %(levels)s.")
                % {
                    "year": catalogue.framework.fiscal_year,
                    "level": level,
                    "levels": ", ".join(catalogue.level_names),
                },
            )
        scores = []
        for index, text in values.items():
            if self.headers[index] in FIXED_HEADERS:
                continue
            value, why = _score(text)
            target = catalogue.targets.get(self.headers[index]) if catalogue else None
            if why:
                self.error(number, index, why)
            elif catalogue and target is None:
                self.error(
                    number,
                    index,
                    _("The framework of fiscal year %(year)s has no %(column)s; leave this cell blank.")
                    % {"year": catalogue.framework.fiscal_year, "column": self.labels[index]},
                )
            else:
                scores.append((target, value))
        # Every row without an organisation or a framework has an error, so a kept row has both.
        if len(self.errors) == errors_before:
            self.rows.append(_Row(organisation, catalogue, overall, level, scores))

    def _catalogue(self, text: str, report) -> _Catalogue | None:
        year = to_arabic_digits(text)
        if not _YEAR.fullmatch(year):
            report(_("Type the fiscal year in the Buddhist Era, such as 2567 or ๒๕๖๗."))
        elif int(year) not in self.catalogues:
            message = _("No framework is loaded for fiscal year %(year)s.") % {"year": year}
            if int(year) < 2400:
                message += " " + _("Fiscal years are in the Buddhist Era (Christian year + 543).")
            report(message)
        else:
            return self.catalogues[int(year)]
        return None


def import_scores(
    *, table: list[list[str]], user, only_organisation: Organisation | None = None
) -> ImportResult:
    """Check every cell of the table, then write all of it or, if anything is wrong, nothing."""
    checker = _Checker(table[0] if table else [], only_organisation)
    if not any(checker.headers):
        checker.errors.append(
            CellError(
                1,
                "",
                "",
                _("The first row must name the columns, starting with organisation and fiscal_year."),
            )
        )
        return ImportResult(errors=checker.errors)
    if not checker.check_header():
        return ImportResult(errors=checker.errors)
    organisations = checker.organisations()
    for number, cells in enumerate(table[1:], start=2):
        if any(cell.strip() for cell in cells):
            checker.check_row(number, cells, organisations)
    if checker.errors:
        # In reading order, left to right along each row (B before AA).
        errors = sorted(checker.errors, key=lambda e: (e.row, len(e.column_letter), e.column_letter))
        return ImportResult(errors=errors)
    created, updated = _apply(checker.rows, user)
    return ImportResult(created=created, updated=updated)


@transaction.atomic
def _apply(rows: list[_Row], user) -> tuple[int, int]:
    # Locked so that a concurrent edit on the scores page cannot slip in between reading the
    # figures a blank cell keeps and writing them back.
    existing = {
        (assessment.organisation_id, assessment.framework_id): assessment
        for assessment in Assessment.objects.select_for_update().filter(
            organisation_id__in={row.organisation.pk for row in rows},
            framework_id__in={row.catalogue.framework.pk for row in rows},
        )
    }
    assessments, updated, trail = [], 0, []
    for row in rows:
        current = existing.get((row.organisation.pk, row.catalogue.framework.pk))
        updated += current is not None
        # A blank cell keeps what is stored.
        overall, level = (current.published_overall, current.published_level) if current else (None, "")
        trail.append(_trail_data(row, current, overall, level))
        assessments.append(
            Assessment(
                organisation_id=row.organisation.pk,
                framework_id=row.catalogue.framework.pk,
                # Only a new assessment takes the snapshot: an existing one keeps the rules it started with.
                level_rules=row.catalogue.level_rules,
                published_overall=overall if row.overall is None else row.overall,
                published_level=level if row.level is None else row.level,
                updated_by=user,
            )
        )
    # One upsert creates the missing assessments and updates the others; far faster than
    # bulk_update, whose CASE expressions cost seconds at national scale. It sets every pk
    # (PostgreSQL, SQLite 3.35+), which the scores below need.
    Assessment.objects.bulk_create(
        assessments,
        update_conflicts=True,
        unique_fields=["organisation", "framework"],
        update_fields=["published_overall", "published_level", "updated_by", "updated_at"],
        batch_size=BATCH_SIZE,
    )

    # Built from ids: tens of thousands of scores, and the related-object setters would dominate.
    by_model: dict[type, list] = {ToolScore: [], IndicatorScore: [], ItemScore: []}
    for row, assessment in zip(rows, assessments, strict=True):
        for target, score in row.scores:
            if isinstance(target, Tool):
                by_model[ToolScore].append(
                    ToolScore(assessment_id=assessment.pk, tool_id=target.pk, score=score)
                )
            elif isinstance(target, Indicator):
                by_model[IndicatorScore].append(
                    IndicatorScore(assessment_id=assessment.pk, indicator_id=target.pk, score=score)
                )
            else:
                by_model[ItemScore].append(
                    ItemScore(assessment_id=assessment.pk, item_id=target.pk, score=score)
                )
    for model, target_field in ((ToolScore, "tool"), (IndicatorScore, "indicator"), (ItemScore, "item")):
        model.objects.bulk_create(
            by_model[model],
            update_conflicts=True,
            unique_fields=["assessment", target_field],
            update_fields=["score"],
            batch_size=BATCH_SIZE,
        )
    # One entry per assessment, written at once: a national file holds thousands of them.
    audit_each(action="ita.assessment.scores_imported", actor=user, entries=[
        (row.organisation, assessment, data) for row, assessment, data in zip(rows, assessments, trail, strict=True)
    ])
    return len(assessments) - updated, updated


def _trail_data(row: _Row, current: Assessment | None, overall: Decimal | None, level: str) -> dict:
    data = {"year": row.catalogue.framework.fiscal_year, "created": current is None, "count": len(row.scores)}
    if row.overall is not None and row.overall != overall:
        data["overall"] = [figure(overall), figure(row.overall)]
    if row.level is not None and row.level != level:
        data["level"] = [level, row.level]
    return data


# --- exporting ----------------------------------------------------------------------------------


def _natural_key(code: str) -> list[tuple]:
    """o2 before o10, 9.1 before 10; digits and letters never compared with each other."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", code)]


def _score_headers(frameworks) -> list[str]:
    """Every tool, indicator and item column of these frameworks, each once, in a natural order
    (several fiscal years in one file share a column where their codes agree)."""
    tools, indicators, items = {}, {}, {}
    for framework in frameworks:
        for tool in framework.tools.all():
            tools.setdefault(tool.code, (tool.order, _natural_key(tool.code)))
        for ind in framework.indicators.all():
            indicators.setdefault(
                f"{INDICATOR_PREFIX}{ind.number}", (ind.tool.order, _natural_key(ind.number))
            )
        for item in framework.items.all():
            items.setdefault(item.code, (item.tool.order, _natural_key(item.code)))
    return [code for columns in (tools, indicators, items) for code in sorted(columns, key=columns.get)]


def export_rows(assessments) -> tuple[list[str], list[list]]:
    """The assessments in the import format, in the order given: text, integers and Decimals."""
    assessments = list(assessments)
    prefetch_related_objects(
        assessments,
        "organisation__province",
        "framework__tools",
        "framework__indicators__tool",
        "framework__items__tool",
        "tool_scores__tool",
        "indicator_scores__indicator",
        "item_scores__item",
    )
    frameworks = {assessment.framework_id: assessment.framework for assessment in assessments}
    headers = FIXED_HEADERS + _score_headers(sorted(frameworks.values(), key=lambda f: f.fiscal_year))
    rows = []
    for assessment in assessments:
        values = {s.tool.code: s.score for s in assessment.tool_scores.all()}
        values.update(
            {f"{INDICATOR_PREFIX}{s.indicator.number}": s.score for s in assessment.indicator_scores.all()}
        )
        values.update({s.item.code: s.score for s in assessment.item_scores.all()})
        values.update(
            {
                ORGANISATION: assessment.organisation.slug,
                PROVINCE: assessment.organisation.province.name,
                FISCAL_YEAR: assessment.framework.fiscal_year,
                OVERALL: assessment.published_overall,
                LEVEL: assessment.published_level or None,
            }
        )
        rows.append([values.get(header) for header in headers])
    return headers, rows


def template_rows(organisation: Organisation, framework: Framework) -> tuple[list[str], list[list]]:
    """An empty file for one organisation and fiscal year, with every column of that framework."""
    headers = FIXED_HEADERS + _score_headers([framework])
    row = [organisation.slug, organisation.province.name, framework.fiscal_year]
    return headers, [row + [None] * (len(headers) - len(row))]


def escape_cell(text: str) -> str:
    """A text a spreadsheet would run as a formula gets an apostrophe in front (CSV injection)."""
    return "'" + text if text.startswith(ESCAPE_START) else text


def _text(value) -> str:
    if value is None:
        return ""
    return escape_cell(value) if isinstance(value, str) else str(value)


def write_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a BOM: without it Excel reads the Thai text as another encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(header) for header in headers])
    writer.writerows([_text(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: list[str], rows: list[list], sheet_title: str | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title or _("Scores"))
    for index, header in enumerate(headers, start=1):
        longest = max([len(header)] + [len(_text(row[index - 1])) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 40)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, font: Font | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, escape_cell(value))
        # Text is stored as text even if it still looked like a formula to openpyxl.
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, Decimal):
            cell.number_format = "0.00"
    if font:
        cell.font = font
    return cell
