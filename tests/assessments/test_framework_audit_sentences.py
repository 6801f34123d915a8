"""The framework editor's history names what changed by its label, never by the code's field names."""

from django.utils import translation

from itaportal.audit.registry import ACTIONS


def test_changed_fields_read_as_their_labels():
    with translation.override("en"):
        sentence = ACTIONS["ita.framework.settings_changed"]({"changes": {"pass_mark": ["85", "80"],
                                                                           "provisional_source": ["", "x"]}})
        item = ACTIONS["ita.framework.item_changed"]({"code": "o1", "changes": {"data_elements": ["", "x"]}})
    assert "pass_mark" not in sentence and "provisional_source" not in sentence
    assert "pass mark" in sentence
    assert "data_elements" not in item and "required data elements" in item


def test_in_thai_the_labels_are_thai():
    with translation.override("th"):
        sentence = ACTIONS["ita.framework.settings_changed"]({"changes": {"pass_mark": ["85", "80"]}})
    assert "pass" not in sentence
