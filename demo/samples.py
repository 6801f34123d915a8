"""Generated document content for benchmarks and fault tests: a progress report of any length,
built from the wording of the reference documents so that line breaking and row heights are
those of a real report, without a database."""

import random

from itaportal.thai import to_thai_digits

TITLES = [
    "พัฒนาระบบคิว มีการจัดระบบคิวที่ชัดเจนและเหมาะสม",
    "ส่งเสริมให้บุคลากรในหน่วยงานมีส่วนร่วมในการปฏิบัติงานและบริการให้กับประชาชนที่มาติดต่อได้อย่างรวดเร็ว",
    "มีการเผยแพร่และประชาสัมพันธ์ข้อมูลข่าวสารผ่านช่องทางต่างๆ ให้หลากหลาย",
    "สร้างจิตสำนึกที่ดีในการรับผิดชอบต่อหน้าที่เพื่อให้เกิดการแยกแยะระหว่างผลประโยชน์ส่วนตนและผลประโยชน์ส่วนรวม",
    "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและเปิดเผยความก้าวหน้าการใช้จ่ายงบประมาณต่อสาธารณะ",
]
STEPS = [
    "ให้หัวหน้าส่วนราชการติดตามและกำกับการปฏิบัติงานของผู้ใต้บังคับบัญชาให้เป็นไปตามขั้นตอนและระยะเวลาที่กำหนด",
    "ให้เจ้าหน้าที่ที่รับผิดชอบรวบรวมข่าวสารต่างๆ ให้เป็นปัจจุบัน เพื่อให้ประชาชนรับรู้ข้อมูลข่าวสารได้อย่างถูกต้อง",
    "จัดประชุมชี้แจงแนวทางการปฏิบัติงานตามประมวลจริยธรรมของเจ้าหน้าที่ของรัฐ",
    "เผยแพร่คำสั่งมอบหมายงานและคู่มือการปฏิบัติงานบนเว็บไซต์ของหน่วยงาน",
]
OWNERS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "ทุกสำนัก ทุกกอง"]
ACTIVITIES = [
    "ประชุมประจำเดือนพนักงานส่วนตำบล ชี้แจงมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
    "ประชาสัมพันธ์ช่องทางการร้องเรียนการทุจริตผ่านเว็บไซต์และเพจเฟซบุ๊กของหน่วยงาน",
    "ตรวจสอบความถูกต้องของข้อมูลที่เผยแพร่บนเว็บไซต์ให้เป็นปัจจุบัน",
]
OUTCOMES = [
    "ดำเนินการตามมาตรการครบทุกขั้นตอน ผู้เข้าร่วมประชุมจำนวน ๓๒ คน คิดเป็นร้อยละ ๙๑.๔๓ ของบุคลากรทั้งหมด",
    "เผยแพร่ข้อมูลข่าวสารแล้ว ๑๒ เรื่อง ประชาชนเข้าถึงข้อมูลได้สะดวกมากยิ่งขึ้น",
]
SUGGESTIONS = ["ควรติดตามผลการดำเนินงานอย่างต่อเนื่องทุกเดือน", "ควรเพิ่มช่องทางการสื่อสารกับประชาชน", ""]
STATUSES = ["done", "in_progress", "in_progress", "not_started"]


def progress_sample(rows: int, seed: int = 2568) -> dict:
    """A progress report's content (the shape of reports.snapshots.progress_snapshot) with `rows`
    measures; about four rows fill an A4 landscape page."""
    rng = random.Random(seed)
    content_rows = []
    for number in range(1, rows + 1):
        status = rng.choice(STATUSES)
        reported = status != "not_started"
        content_rows.append({
            "number": number,
            "kind": "measure",
            "issues": [],
            "indicators": [],
            "budget": None,
            "target": "",
            "title": rng.choice(TITLES),
            "steps": rng.sample(STEPS, rng.randint(1, 3)),
            "owners": rng.choice(OWNERS),
            "start": "2024-10-01",
            "end": "2025-09-30",
            "monitoring": "",
            "status": status,
            "status_label": "",
            "activities": [
                {"date": f"2025-0{rng.randint(1, 3)}-{rng.randint(10, 28)}", "text": text}
                for text in rng.sample(ACTIVITIES, rng.randint(1, 2))
            ] if reported else [],
            "outcome": rng.choice(OUTCOMES) if reported else "",
            "suggestions": rng.choice(SUGGESTIONS),
            "budget_used": None,
            "evidence": [
                {"kind": "file", "title": f"รายงานการประชุม ครั้งที่ {to_thai_digits(n)}/๒๕๖๘", "name": "", "url": "",
                 "sha256": "", "size": 0, "id": n}
                for n in range(1, rng.randint(1, 3))
            ] if reported else [],
        })
    return {
        "fiscal_year": 2568,
        "round": {"number": 1, "name": "รอบ ๖ เดือน", "start": "2024-10-01", "end": "2025-03-31", "due": "2025-04-15"},
        "rows": content_rows,
        "organisation": {
            "name": "ภูซาง", "full_name": "องค์การบริหารส่วนตำบลภูซาง", "short_name": "อบต.ภูซาง",
            "province": "พะเยา", "district": "ภูซาง", "location": "อำเภอภูซาง จังหวัดพะเยา",
        },
    }
