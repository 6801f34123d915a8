"""Registering many offices from one file: one row per office, all or nothing (docs/offices.md).

Every row goes through the same service as the registration page, so a file can refuse nothing the
page would accept and accept nothing it would refuse; a row that fails is reported with its row and
column, and then no row is kept.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from itaportal.accounts.models import District, Organisation, Province, User
from itaportal.tables import FORMULA_START, CellError, column_letter, read_table, write_xlsx
from itaportal.thai import to_arabic_digits

from .services import OnboardingError
from .services.offices import FirstAdmin, organisation_register

MAX_OFFICES = 2000

# The column names (the header row), each also accepted in Thai.
COLUMNS = {
    "kind": "ประเภท",
    "name": "ชื่อ",
    "province": "จังหวัด",
    "district": "อำเภอ",
    "document_code": "รหัสหนังสือ",
    "website": "เว็บไซต์",
    "email": "อีเมล",
    "admin_prefix": "คำนำหน้าผู้ดูแล",
    "admin_first_name": "ชื่อผู้ดูแล",
    "admin_last_name": "นามสกุลผู้ดูแล",
    "admin_email": "อีเมลผู้ดูแล",
}
REQUIRED = ("kind", "admin_first_name", "admin_email")
ALIASES = {**{key: key for key in COLUMNS}, **{thai: key for key, thai in COLUMNS.items()}}

_PROVINCE_WORD = re.compile(r"^(จังหวัด|จ\.)")
_DISTRICT_WORD = re.compile(r"^(อำเภอ|อ\.|เขต)")


@dataclass
class ImportResult:
    created: list[Organisation] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


def _squeeze(text: str) -> str:
    return "".join(text.split()).replace(".", "")


def kind_names() -> dict[str, str]:
    """Every way a file may name a kind (อบต., องค์การบริหารส่วนตำบล, sao…), squeezed → the kind."""
    names = {}
    for kind in Organisation.Kind.values:
        spellings = [kind, Organisation.SHORT_PREFIX.get(kind, ""), Organisation.FULL_PREFIX.get(kind, ""),
                     Organisation.FIXED_NAME.get(kind, ""), Organisation.FIXED_SHORT_NAME.get(kind, "")]
        # Squeezed of spaces and dots, so that อบต and "อบต. " read as อบต.
        names.update({_squeeze(s).lower(): kind for s in spellings if s})
    return names


class _Places:
    """The register looked up by name or DOPA code, once per file."""

    def __init__(self):
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.province_names = {_squeeze(p.name): p for p in self.provinces.values()}
        self.districts: dict[tuple[str, str], District] = {}
        self.district_codes: dict[str, District] = {}
        self.district_names: dict[str, list[District]] = {}
        for district in District.objects.select_related("province"):
            self.district_codes[district.code] = district
            self.districts[(district.province.code, _squeeze(district.name))] = district
            self.district_names.setdefault(_squeeze(district.name), []).append(district)

    def province(self, text: str) -> Province:
        text = to_arabic_digits(text.strip())
        found = self.provinces.get(text) or self.province_names.get(_squeeze(_PROVINCE_WORD.sub("", text)))
        if found is None:
            raise ValueError(_("No province of this name or code."))
        return found

    def district(self, text: str, province: Province | None) -> District:
        text = to_arabic_digits(text.strip())
        if text in self.district_codes:
            return self.district_codes[text]
        name = _squeeze(_DISTRICT_WORD.sub("", text))
        if province is not None:
            found = self.districts.get((province.code, name))
            if found is None:
                raise ValueError(_("%(province)s has no district of this name.") % {"province": province.full_name})
            return found
        candidates = self.district_names.get(name, [])
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise ValueError(_("Districts of this name are in %(provinces)s; fill in the province column.")
                             % {"provinces": ", ".join(d.province.name for d in candidates)})
        raise ValueError(_("No district of this name or code."))


def _header_errors(header: list[str]) -> tuple[dict[str, int], list[CellError]]:
    columns, errors = {}, []
    for index, raw in enumerate(header):
        name = raw.strip().lower() if raw.strip().isascii() else raw.strip()
        key = ALIASES.get(name)
        if not name:
            continue
        if key is None:
            errors.append(CellError(1, column_letter(index), raw, _("Unknown column.")))
        elif key in columns:
            errors.append(CellError(1, column_letter(index), raw, _("This column appears twice.")))
        else:
            columns[key] = index
    for key in REQUIRED:
        if key not in columns:
            errors.append(CellError(1, "", "", _("The column %(name)s (%(thai)s) is missing.")
                                    % {"name": key, "thai": COLUMNS[key]}))
    if "district" not in columns and "province" not in columns:
        errors.append(CellError(1, "", "", _("The file needs a district column, or a province column for "
                                             "offices without a district.")))
    return columns, errors


def import_offices(*, file, filename: str, user: User) -> ImportResult:
    """Raises itaportal.tables.TableFileError for a file that is not a table."""
    table = read_table(file, filename, MAX_OFFICES)
    result = ImportResult()
    if not table:
        result.errors.append(CellError(1, "", "", _("The file is empty.")))
        return result
    columns, result.errors = _header_errors(table[0])
    if result.errors:
        return result
    places = _Places()
    kinds = kind_names()
    with transaction.atomic():
        for number, cells in enumerate(table[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row_errors = []

            def cell(key: str) -> str:
                index = columns.get(key)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            def refuse(key: str | None, message: str) -> None:
                index = columns.get(key) if key else None
                if index is None:
                    row_errors.append(CellError(number, "", "", message))
                else:
                    row_errors.append(CellError(number, column_letter(index), table[0][index].strip(), message))

            for key in columns:
                if cell(key).startswith(FORMULA_START):
                    refuse(key, _("A cell may not start with = + - or @ (a formula)."))
            kind = kinds.get(_squeeze(cell("kind")).lower())
            if kind is None:
                refuse("kind", _("Unknown kind of office; write for example อบต., ทต., ทม., ทน., อบจ., "
                                 "กทม. or เมืองพัทยา."))
            province = district = None
            if cell("province"):
                try:
                    province = places.province(cell("province"))
                except ValueError as error:
                    refuse("province", str(error))
            if cell("district") and not (cell("province") and province is None):
                try:
                    district = places.district(cell("district"), province)
                except ValueError as error:
                    refuse("district", str(error))
            if row_errors:
                result.errors += row_errors
                continue
            try:
                with transaction.atomic():
                    organisation = organisation_register(
                        kind=kind,
                        name=cell("name"),
                        district=district,
                        province=province,
                        document_code=cell("document_code"),
                        website=cell("website"),
                        email=cell("email"),
                        admin=FirstAdmin(name_prefix=cell("admin_prefix"), first_name=cell("admin_first_name"),
                                         last_name=cell("admin_last_name"), email=cell("admin_email")),
                        user=user,
                    )
            except OnboardingError as error:
                refuse(error.field if error.field in COLUMNS else None, str(error))
                result.errors += row_errors
            else:
                result.created.append(organisation)
        if result.errors:
            # All or nothing: the rows that passed are undone with the rest, and no invitation leaves.
            transaction.set_rollback(True)
            result.created = []
    return result


def template_xlsx() -> bytes:
    return write_xlsx(list(COLUMNS), [], _("Offices"))
