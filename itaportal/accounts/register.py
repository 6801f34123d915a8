"""The national register: Thailand's 77 provinces and 928 districts (อำเภอ, and the เขต of Bangkok) with
their DOPA codes.

Codes and names come from the geothai package (code MIT; data CC-BY-4.0 by Pongsakorn Thipayanate,
GeoThai/data, itself from the Department of Provincial Administration, stat.bora.dopa.go.th); the
document-code letters of the provinces from province_abbreviations.yaml, which names its source.
Migration 0003 loads the register into every database, tests included, and `manage.py load_register`
brings names up to date after geothai is upgraded. Rows are found by code, or by name for rows made
before the register had codes (the demo's, a scale data set's), so both run any number of times.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geothai
import yaml
from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Q

ABBREVIATIONS = Path(__file__).with_name("province_abbreviations.yaml")
BANGKOK = "10"
# geothai writes Bangkok's districts with their word (เขตบางรัก); the portal stores the name alone, as for
# an อำเภอ, and prints the word from the district's kind.
KHET = "เขต"
# What a name typed before the register may carry in front of it.
PREFIXES = re.compile(r"^(อำเภอ|อ\.|เขต|จังหวัด|จ\.)")


class RegisterError(Exception):
    """The database holds a place that the register cannot take over without losing a scope."""


@dataclass
class Summary:
    provinces_created: int = 0
    provinces_updated: int = 0
    districts_created: int = 0
    districts_updated: int = 0
    # Districts made before the register under a name it does not know (a scale data set's invented ones):
    # removed, and their organisations left without a district. "province: name" each.
    districts_removed: list[str] = field(default_factory=list)


def _plain(name: str) -> str:
    return PREFIXES.sub("", "".join(name.split()))


def abbreviations() -> dict[str, str]:
    with ABBREVIATIONS.open(encoding="utf-8") as handle:
        return {str(code): letters for code, letters in yaml.safe_load(handle).items()}


def district_name(district: geothai.types.District) -> tuple[str, str]:
    """(kind, name) of a geothai district: ("khet", "บางรัก") for เขตบางรัก, ("amphoe", "เมืองพะเยา")."""
    if district.province_code == BANGKOK:
        return "khet", district.name_th.removeprefix(KHET)
    return "amphoe", district.name_th


@transaction.atomic
def load(apps=global_apps, *, say: Callable[[str], None] | None = None) -> Summary:
    """Bring the provinces and districts in line with the register; `apps` is a migration's when called
    from one. A handful of queries and two bulk writes per table."""
    Province = apps.get_model("accounts", "Province")
    District = apps.get_model("accounts", "District")
    Organisation = apps.get_model("accounts", "Organisation")
    OversightMembership = apps.get_model("oversight", "OversightMembership")
    summary = Summary()

    letters = abbreviations()
    rows = list(Province.objects.all())
    by_code = {p.code: p for p in rows if p.code}
    by_name = {_plain(p.name): p for p in rows}
    new, changed = [], []
    for entry in geothai.provinces():
        row = by_code.get(entry.code) or by_name.get(_plain(entry.name_th))
        if row is None:
            new.append(Province(
                code=entry.code,
                name=entry.name_th,
                name_en=entry.name_en,
                abbreviation=letters.get(entry.code, ""),
            ))
            continue
        wanted = {"code": entry.code, "name": entry.name_th, "name_en": entry.name_en}
        if not row.abbreviation:
            wanted["abbreviation"] = letters.get(entry.code, "")
        if any(getattr(row, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(row, key, value)
            changed.append(row)
    Province.objects.bulk_create(new)
    Province.objects.bulk_update(changed, ["code", "name", "name_en", "abbreviation"])
    summary.provinces_created, summary.provinces_updated = len(new), len(changed)
    unknown = [p.name for p in Province.objects.filter(Q(code__isnull=True) | Q(code=""))]
    if unknown:
        raise RegisterError(
            f"Provinces not in the register (rename or remove them first): {', '.join(unknown)}"
        )

    provinces = {p.code: p for p in Province.objects.all()}
    rows = list(District.objects.all())
    by_code = {d.code: d for d in rows if d.code}
    by_name = {(d.province_id, _plain(d.name)): d for d in rows}
    matched, new, changed = set(), [], []
    for entry in (d for p in geothai.provinces() for d in geothai.districts(p.code)):
        province = provinces[entry.province_code]
        kind, name = district_name(entry)
        row = by_code.get(entry.code) or by_name.get((province.pk, _plain(name)))
        wanted = {
            "code": entry.code,
            "name": name,
            "name_en": entry.name_en,
            "kind": kind,
            "province_id": province.pk,
        }
        if row is None:
            new.append(District(**wanted))
            continue
        matched.add(row.pk)
        if any(getattr(row, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(row, key, value)
            changed.append(row)
    District.objects.bulk_create(new)
    District.objects.bulk_update(changed, ["code", "name", "name_en", "kind", "province_id"])
    summary.districts_created, summary.districts_updated = len(new), len(changed)

    # A row with a code the register dropped (an abolished district) stays; one that never had a code
    # was typed or invented before the register and names no real place.
    invented = [d for d in rows if d.pk not in matched and not d.code]
    if invented:
        names = {d.pk: f"{d.province.name}: {d.name}" for d in invented}
        scoped = OversightMembership.objects.filter(district__in=invented)
        if scoped.exists():
            raise RegisterError(
                "Oversight scopes name districts that are not in the register: "
                + ", ".join(sorted({names[s.district_id] for s in scoped}))
            )
        Organisation.objects.filter(district__in=invented).update(district=None)
        District.objects.filter(pk__in=names).delete()
        summary.districts_removed = sorted(names.values())
        if say:
            removed = ", ".join(summary.districts_removed)
            say(f"Districts not in the register, removed from their organisations: {removed}")
    return summary
