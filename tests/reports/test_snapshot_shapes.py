"""The snapshot shapes (reports.snapshots) print their words in Thai whoever freezes them: an executive
reading the portal in English approves the same document as one reading it in Thai. The scale data
builds through the same shapes; tests/itaportal/test_scale_data.py holds its contents against them."""

import pytest
from django.utils import translation

from reports.models import Memo
from reports.snapshots import memo_snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["analysis", "progress"])
def test_a_memo_frozen_in_english_prints_its_labels_in_thai(kind):
    memo = Memo.objects.filter(kind=kind, state=Memo.State.APPROVED).order_by("pk").first()
    with translation.override("th"):
        thai = memo_snapshot(memo)
    with translation.override("en"):
        english = memo_snapshot(memo)
    assert english == thai
    labels = [issue["kind_label"] for issue in english["documents"].get("analysis", {}).get("issues", [])]
    labels += [row["status_label"] for row in english["documents"].get("progress", {}).get("rows", [])]
    assert labels and all(label == "" or not label.isascii() for label in labels)
