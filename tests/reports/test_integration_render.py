"""The approval chain ends in a PDF rendered by a real Celery worker on Redis (CI), read back as text."""

import subprocess
import time

import pytest

from itaportal.accounts.models import User
from reports.models import Document
from reports.services.memos import memo_decide, memo_submit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_final_approval_queues_a_pdf_that_a_worker_renders(celery_worker_process, demo, chain, draft, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    chain("phusang", ["หัวหน้าสำนักปลัด", "ปลัด", "นายก"])
    memo = memo_submit(memo=draft(subject="รายงานผลการดำเนินงานทดสอบการออกเอกสาร"),
                       user=User.objects.get(username="staff.phusang"))
    for level, username in enumerate(["head.phusang", "palad.phusang", "nayok.phusang"], start=1):
        memo = memo_decide(memo=memo, user=User.objects.get(username=username), level=level, action="approve",
                           comment="เห็นชอบ" if level == 3 else "เสนอ")
    document = Document.objects.get(version__memo=memo)
    deadline = time.monotonic() + 90
    while document.state in ("queued", "rendering") and time.monotonic() < deadline:
        time.sleep(0.5)
        document.refresh_from_db()
    assert document.state == "ready", document.error
    assert document.pages >= 1 and len(document.sha256) == 64
    text = pdf_text(document.pdf.path)
    assert "บันทึกข้อความ" in text
    assert f"พย ๗๒๔๐๑/{memo.number}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in text
    assert "ส่วนราชการ" in text
    # า and ำ together: the text layer of the worker's PDF is right too (reports/pdftext.py).
    assert "นายวรารุญ ฝาใจมา" in text
    assert "องค์การบริหารส่วนตำบลภูซาง" in text
