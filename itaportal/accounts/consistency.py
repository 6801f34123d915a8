"""The database's own refusal of the contradictions the portal exists to prevent: an office whose district
is in another province, a position in another office's department, a member with another office's
department or position. Model clean() and the services refuse them with a message first; these rules
hold against whatever else writes (QuerySet.update(), bulk writers, raw SQL).

PostgreSQL: composite foreign keys, e.g. (district_id, province_id) → accounts_district (id, province_id),
which point at the (id, province) unique keys the models declare. SQLite cannot add a foreign key to an
existing table, so there each rule is three triggers: on the child's insert, on the child's update, and
on the parent's update of its scope. Both are checked at the statement, and both name the rule in the
error. A NULL district, department or position passes (an office without a district, a position
without a department).

SQLite drops a table's triggers when Django rebuilds the table, which it does for many AlterField and
some AddField operations: a later accounts migration that alters these four tables must end with
RunPython(consistency.reinstall). tests/itaportal/test_register_constraints.py fails when a rule is missing.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    child: str  # the table that holds the reference
    reference: str  # its column pointing at the parent
    scope: str  # the column that child and parent must share
    parent: str
    parent_scope: str
    what: str


RULES = [
    Rule("organisation_district_in_province", "accounts_organisation", "district_id", "province_id",
         "accounts_district", "province_id", "the district is in another province"),
    Rule("position_department_of_organisation", "accounts_position", "department_id", "organisation_id",
         "accounts_department", "organisation_id", "the department belongs to another organisation"),
    Rule("membership_department_of_organisation", "accounts_membership", "department_id", "organisation_id",
         "accounts_department", "organisation_id", "the department belongs to another organisation"),
    Rule("membership_position_of_organisation", "accounts_membership", "position_id", "organisation_id",
         "accounts_position", "organisation_id", "the position belongs to another organisation"),
]


def _postgresql(rule: Rule) -> list[str]:
    return [(
        f"ALTER TABLE {rule.child} ADD CONSTRAINT {rule.name} FOREIGN KEY ({rule.reference}, {rule.scope}) "
        f"REFERENCES {rule.parent} (id, {rule.parent_scope})"
    )]


def _sqlite(rule: Rule) -> list[str]:
    abort = f"SELECT RAISE(ABORT, '{rule.name}: {rule.what}')"
    wrong_child = (
        f"NEW.{rule.reference} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {rule.parent} "
        f"WHERE id = NEW.{rule.reference} AND {rule.parent_scope} = NEW.{rule.scope})"
    )
    # Any id change is the plain foreign key's to refuse; here, a parent moving away from its children.
    wrong_parent = (
        f"EXISTS (SELECT 1 FROM {rule.child} WHERE {rule.reference} = OLD.id "
        f"AND {rule.scope} IS NOT NEW.{rule.parent_scope})"
    )
    return [
        (
            f"CREATE TRIGGER {rule.name}_insert BEFORE INSERT ON {rule.child} "
            f"FOR EACH ROW WHEN {wrong_child} BEGIN {abort}; END"
        ),
        (
            f"CREATE TRIGGER {rule.name}_update BEFORE UPDATE OF {rule.reference}, {rule.scope} "
            f"ON {rule.child} FOR EACH ROW WHEN {wrong_child} BEGIN {abort}; END"
        ),
        (
            f"CREATE TRIGGER {rule.name}_parent BEFORE UPDATE OF {rule.parent_scope} ON {rule.parent} "
            f"FOR EACH ROW WHEN {wrong_parent} BEGIN {abort}; END"
        ),
    ]


def _drop(vendor: str, rule: Rule) -> list[str]:
    if vendor == "postgresql":
        return [f"ALTER TABLE {rule.child} DROP CONSTRAINT IF EXISTS {rule.name}"]
    return [f"DROP TRIGGER IF EXISTS {rule.name}_{part}" for part in ("insert", "update", "parent")]


def statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [sql for rule in RULES for sql in _postgresql(rule)]
    if vendor == "sqlite":
        return [sql for rule in RULES for sql in _sqlite(rule)]
    raise NotImplementedError(f"No consistency rules for {vendor}: write its foreign keys or triggers here.")


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # Rows changed earlier in the migration leave deferred checks pending, and PostgreSQL alters no
        # table with checks pending: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def uninstall(apps, schema_editor) -> None:
    for rule in RULES:
        for sql in _drop(schema_editor.connection.vendor, rule):
            schema_editor.execute(sql)


def reinstall(apps, schema_editor) -> None:
    uninstall(apps, schema_editor)
    install(apps, schema_editor)
