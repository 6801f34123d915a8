"""Scale data for load tests and the provincial roll-up (`manage.py generate_scale_data`).

Thousands of organisations across Thailand's provinces, each with the history the portal would hold
after some fiscal years of use: people and an approval chain, the NACC's scores and their analysis,
measures with steps, two reporting rounds with progress, the OIT checklist, memos in every state with
their decisions and trail, and the frozen versions and approved documents of the approved ones.

Speed: an organisation's whole history is built in memory without a query (primary keys are taken
from the tables' sequences in blocks, so rows can point at each other before any is written), then
a batch of organisations is written table after table in one transaction: COPY on PostgreSQL,
bulk_create elsewhere. No service is called per row, so what the services would check is true by
construction, and the tests hold the result against the portal's own code: the scoreboard gives the
stored level, the composer writes the same memo texts, the consistency check finds nothing in them,
and the real snapshot and hash functions, run on the generated records, give exactly the frozen
contents and hashes built here. Several processes (`jobs`) can build and write side by side.

Years: the most recent `years` fiscal years that have a framework. Each is an assessment year F: the
scores of F with their analysis, and the cycle they drive in F+1 (measures answering the analysis,
the rounds and their progress, the analysis memo and the progress memos), as an analysis memo of Y
reports on the assessment of Y-1 (reports.services.composing). Memos are timed by the calendar of their year
and cut at "now": the newest round holds memos waiting (some for more than 14 days), returned,
drafts, cancelled and missing, in a fixed cycle over the organisations, so that any ten consecutive
organisations show every state.

PDFs: one real PDF per document kind is rendered, through the worker's own function, from the first
approved document of that kind; every other approved document of the kind shares that stored file
(same name, same SHA-256, same page count). Each document keeps its own verification code, so
/v/<code>/ names its own organisation; a lookup by SHA-256, which no longer identifies one document,
names the first holder of the shared file, and the QR code printed in the shared file is the first
holder's. Rendering one PDF per approved document would take days at this scale.
"""

import functools
import hashlib
from base64 import b32decode
import json
import multiprocessing
import os
import random
import re
import time as time_module
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import geothai
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, models, transaction
from django.template import engines
from django.utils import timezone
from psycopg.types.json import Jsonb
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names
from pythainlp.corpus.common import provinces as thai_provinces

from assessments.models import (
    AnalysisIssue, Assessment, Framework, Indicator, IndicatorScore, Item, ItemScore, Tool, ToolScore,
)
from assessments.scoring import Scoreboard, ToolResult, build_scoreboard, mean, round_score
from assessments.services import load_all_frameworks
from itaportal.accounts.models import (
    BANGKOK_CODE, Department, District, Membership, Organisation, Position, Province, Role, User,
)
from itaportal.audit.models import AuditEntry
from oversight.models import OversightMembership
from itaportal.thai import fiscal_year, fiscal_year_bounds, format_number, to_thai_digits
from measures.models import Activity, Measure, MeasureStep, OitEntry, ProgressEntry, ReportingRound
from measures.services.plan import default_rounds
from reports.services.composing import HEAD_OFFICE, TEXT_PARTS, render_part, report_parts
from reports.documents import TEMPLATE_VERSIONS, render_pdf
from reports.models import (
    CODE_ALPHABET, CODE_LENGTH, ApprovalChain, ChainLevel, Decision, Delegation, Document, Memo, MemoCounter,
    MemoKind, MemoVersion,
)
from reports.snapshots import (
    addressee_text, analysis_part, issue_part, measure_part, measures_part, memo_part, oit_group, oit_part, oit_row,
    organisation_snapshot, own_year_and_round, owners_text, progress_part, progress_row,
)

from .twofactor import DEMO_TOTP_KEY

SLUG_PREFIX = "s"
DEFAULT_PASSWORD = "ita-scale-2568"
SHARED_PDF_DIR = "documents/scale"


def slug_of(number: int) -> str:
    return f"{SLUG_PREFIX}{number:05d}"


# --- words ------------------------------------------------------------------------------------
# Place names are made of the pieces real ones are made of (หนอง + บัว, นา + คำ); the texts of the
# records are the wording of the reference documents and their peers.

# Each piece with its romanization (RTGS), for the office's web address.
PLACE_HEADS = {
    "นา": "na", "โนน": "non", "หนอง": "nong", "ห้วย": "huai", "ดอน": "don", "วัง": "wang", "ท่า": "tha",
    "บาง": "bang", "โพธิ์": "pho", "ศรี": "si", "เชียง": "chiang", "แม่": "mae", "ภู": "phu", "เขา": "khao",
    "ทุ่ง": "thung", "คลอง": "khlong", "สัน": "san", "ป่า": "pa", "เวียง": "wiang", "ลาด": "lat", "สระ": "sa",
    "กุด": "kut", "บึง": "bueng", "ดง": "dong", "หัว": "hua", "บ่อ": "bo", "โคก": "khok", "ไร่": "rai",
}
PLACE_TAILS = {
    "ทอง": "thong", "ใหญ่": "yai", "ไทร": "sai", "แดง": "daeng", "ขาม": "kham", "ยาง": "yang", "สูง": "sung",
    "งาม": "ngam", "คำ": "kham", "เงิน": "ngoen", "โพธิ์": "pho", "จันทร์": "chan", "ทราย": "sai", "แก้ว": "kaeo",
    "ม่วง": "muang", "หลวง": "luang", "สวรรค์": "sawan", "พัฒนา": "phatthana", "เจริญ": "charoen", "ชัย": "chai",
    "เหนือ": "nuea", "ใต้": "tai", "น้อย": "noi", "บัว": "bua", "ไผ่": "phai", "ตาล": "tan", "สะอาด": "saat",
    "ศิลา": "sila", "มะนาว": "manao", "เตย": "toei", "ขี้เหล็ก": "khilek", "กระทุ่ม": "krathum",
    "ตะเคียน": "takhian", "สำราญ": "samran", "สมบูรณ์": "sombun", "โศก": "sok", "ยาว": "yao", "ซาง": "sang",
    "หิน": "hin",
}
# Real counts: about 5,300 อบต., 2,250 เทศบาลตำบล, 195 เทศบาลเมือง and 30 เทศบาลนคร.
KINDS = [
    (Organisation.Kind.SAO, 0.68),
    (Organisation.Kind.SUBDISTRICT_MUNICIPALITY, 0.29),
    (Organisation.Kind.TOWN_MUNICIPALITY, 0.026),
    (Organisation.Kind.CITY_MUNICIPALITY, 0.004),
]
# The chief executive of a municipality is นายกเทศมนตรี…, not "นายก" followed by the office's name.
MAYOR_TITLES = {
    Organisation.Kind.SUBDISTRICT_MUNICIPALITY: "นายกเทศมนตรีตำบล",
    Organisation.Kind.TOWN_MUNICIPALITY: "นายกเทศมนตรีเมือง",
    Organisation.Kind.CITY_MUNICIPALITY: "นายกเทศมนตรีนคร",
}
DEPARTMENTS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]
HEALTH = "กองสาธารณสุขและสิ่งแวดล้อม"
WELFARE = "กองสวัสดิการสังคม"
AUDIT_UNIT = "หน่วยตรวจสอบภายใน"
STAFF_TITLES = ["นักวิเคราะห์นโยบายและแผน", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "นักวิเคราะห์นโยบายและแผนชำนาญการ"]
ADMIN_TITLES = ["นักจัดการงานทั่วไป", "นักจัดการงานทั่วไปชำนาญการ", "นักทรัพยากรบุคคล", "นักทรัพยากรบุคคลชำนาญการ"]
AUDITOR_TITLE = "นักวิชาการตรวจสอบภายใน"

# (title, indicator number it concerns)
ISSUES = {
    "IIT": [
        ("การปฏิบัติงานและการให้บริการอย่างเท่าเทียม", "1"),
        ("การใช้จ่ายงบประมาณอย่างคุ้มค่าและตรวจสอบได้", "2"),
        ("การใช้อำนาจของผู้บังคับบัญชาอย่างเป็นธรรม", "3"),
        ("การใช้ทรัพย์สินของราชการอย่างถูกต้อง", "4"),
        ("การแยกแยะประโยชน์ส่วนตนและประโยชน์ส่วนรวม", "4"),
        ("การแก้ไขปัญหาการทุจริตและการจัดการเรื่องร้องเรียน", "5"),
    ],
    "EIT": [
        ("คุณภาพการดำเนินงานและการให้บริการประชาชน", "6"),
        ("ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ", "7"),
        ("ช่องทางการรับฟังความคิดเห็นและข้อร้องเรียนของประชาชน", "7"),
        ("การให้บริการและระบบ E-Service", "8"),
        ("การปรับปรุงขั้นตอนและระยะเวลาการให้บริการ", "8"),
    ],
    "OIT": [
        ("การเปิดเผยข้อมูลพื้นฐานของหน่วยงาน", "9"),
        ("การเปิดเผยแผนและผลการใช้จ่ายงบประมาณประจำปี", "9"),
        ("การเปิดเผยข้อมูลการจัดซื้อจัดจ้างและการจัดหาพัสดุ", "9"),
        ("การเปิดเผยข้อมูลการบริหารและพัฒนาทรัพยากรบุคคล", "9"),
        ("การจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "10"),
        ("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "10"),
    ],
}
ISSUE_INDICATOR = {title: number for pairs in ISSUES.values() for title, number in pairs}
ADVICE = {
    AnalysisIssue.Kind.URGENT: [
        "จึงเป็นข้อบกพร่องที่ต้องแก้ไขโดยเร่งด่วน โดยกำหนดมาตรการและผู้รับผิดชอบให้ชัดเจน",
        "ต่ำกว่าเกณฑ์ ๘๕ คะแนน เห็นควรเร่งแก้ไขและติดตามผลเป็นรายไตรมาส",
    ],
    AnalysisIssue.Kind.DEVELOP: [
        "อยู่ในเกณฑ์ดี เห็นควรรักษามาตรฐานและพัฒนาให้ดียิ่งขึ้น",
        "เห็นควรรักษามาตรฐานและส่งเสริมให้บุคลากรมีส่วนร่วมในการพัฒนาอย่างต่อเนื่อง",
    ],
}
MEASURES = {
    "IIT": [
        "มาตรการเสริมสร้างความซื่อสัตย์สุจริตและปลูกฝังทัศนคติที่ดีในการต่อต้านการทุจริต",
        "มาตรการกำกับดูแลและตรวจสอบการใช้ทรัพย์สินของราชการ",
        "จัดทำแผนการใช้จ่ายงบประมาณประจำปีและเปิดเผยความก้าวหน้าการใช้จ่ายงบประมาณต่อสาธารณะ",
        "สร้างจิตสำนึกที่ดีในการแยกแยะระหว่างผลประโยชน์ส่วนตนและผลประโยชน์ส่วนรวม",
        "ส่งเสริมกระบวนการขับเคลื่อนจริยธรรมของพนักงานและเจ้าหน้าที่",
        "ให้ความรู้แก่เจ้าหน้าที่เกี่ยวกับขั้นตอนการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        "โครงการอบรมคุณธรรมจริยธรรมสำหรับผู้บริหาร สมาชิกสภา และพนักงาน",
    ],
    "EIT": [
        "พัฒนาระบบคิว มีการจัดระบบคิวที่ชัดเจนและเหมาะสม",
        "ส่งเสริมให้บุคลากรมีส่วนร่วมในการให้บริการประชาชนที่มาติดต่อได้อย่างรวดเร็ว ตามขั้นตอน อย่างเท่าเทียมกัน",
        "มีการเผยแพร่และประชาสัมพันธ์ข้อมูลข่าวสารผ่านช่องทางต่างๆ ให้หลากหลาย",
        "แนะนำช่องทางออนไลน์ของหน่วยงานให้กับผู้ใช้บริการ เพื่อให้เข้าถึงข้อมูลได้สะดวกมากยิ่งขึ้น",
        "พัฒนาระบบการให้บริการออนไลน์ (E-Service) และคู่มือการใช้งานสำหรับประชาชน",
        "สำรวจความพึงพอใจของผู้รับบริการและนำผลมาปรับปรุงการให้บริการ",
    ],
    "OIT": [
        "ปรับปรุงและพัฒนาเว็บไซต์ของหน่วยงานให้เป็นปัจจุบัน",
        "เผยแพร่ข้อมูลสาธารณะบนเว็บไซต์ให้ครบถ้วนตามองค์ประกอบของการประเมิน OIT",
        "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือนและเผยแพร่ต่อสาธารณะ",
        "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี",
        "จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานและวิเคราะห์ความเสี่ยงการทุจริต",
        "รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ ๖ เดือน",
    ],
}
STEPS = {
    "IIT": [
        "จัดประชุมชี้แจงแนวทางการปฏิบัติงานตามประมวลจริยธรรมของเจ้าหน้าที่ของรัฐ",
        "ให้หัวหน้าส่วนราชการติดตามและกำกับการปฏิบัติงานของผู้ใต้บังคับบัญชาให้เป็นไปตามขั้นตอนและระยะเวลาที่กำหนด",
        "จัดทำคู่มือแนวปฏิบัติในการใช้ทรัพย์สินของราชการและเผยแพร่ให้เจ้าหน้าที่ทุกคนทราบ",
        "จัดกิจกรรมเสริมสร้างจิตสำนึกการเป็นเจ้าหน้าที่ของรัฐที่ดีตามมาตรฐานทางจริยธรรม",
        "จัดทำทะเบียนคุมการยืมและการใช้รถยนต์ราชการ",
    ],
    "EIT": [
        "ให้เจ้าหน้าที่ที่รับผิดชอบรวบรวมข่าวสารต่างๆ ให้เป็นปัจจุบัน เพื่อให้ประชาชนรับรู้ข้อมูลข่าวสารได้อย่างถูกต้อง",
        "เผยแพร่ข้อมูลข่าวสารผ่านเว็บไซต์ เพจเฟซบุ๊ก กลุ่มไลน์ และหอกระจายข่าวประจำหมู่บ้าน",
        "จัดทำป้ายแสดงขั้นตอนและระยะเวลาการให้บริการ ณ จุดบริการ",
        "จัดให้มีกล่องรับความคิดเห็นและช่องทางร้องเรียนออนไลน์",
        "สำรวจความพึงพอใจของผู้รับบริการปีละ ๒ ครั้ง",
    ],
    "OIT": [
        "มอบหมายเจ้าหน้าที่เป็นผู้ดูแลระบบและปรับปรุงข้อมูลบนเว็บไซต์เป็นประจำทุกเดือน",
        "ตรวจสอบความครบถ้วนของข้อมูลตามองค์ประกอบของการประเมิน OIT ทุกไตรมาส",
        "จัดทำสรุปผลการจัดซื้อจัดจ้างรายเดือนและเผยแพร่ภายในวันที่ ๑๐ ของเดือนถัดไป",
        "ฝึกอบรมเจ้าหน้าที่ทุกส่วนราชการให้สามารถนำข้อมูลขึ้นเว็บไซต์ได้",
        "รายงานผลการดำเนินงานต่อผู้บริหารเพื่อทราบและเผยแพร่ต่อสาธารณะ",
    ],
}
ACTIVITIES = [
    "ประชุมประจำเดือนพนักงาน ชี้แจงมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
    "ประชาสัมพันธ์ช่องทางการร้องเรียนการทุจริตผ่านเว็บไซต์และเพจเฟซบุ๊กของหน่วยงาน",
    "ตรวจสอบความถูกต้องของข้อมูลที่เผยแพร่บนเว็บไซต์ให้เป็นปัจจุบัน",
    "จัดอบรมคุณธรรมจริยธรรมให้แก่พนักงานและเจ้าหน้าที่",
    "เผยแพร่สรุปผลการจัดซื้อจัดจ้างประจำเดือนบนเว็บไซต์",
    "สำรวจความพึงพอใจของผู้มารับบริการ ณ จุดบริการ",
    "ผู้บริหารมอบนโยบายการปฏิบัติงานด้วยความซื่อสัตย์สุจริตในการประชุมประจำเดือน",
    "ปรับปรุงป้ายแสดงขั้นตอนการให้บริการและระยะเวลาแล้วเสร็จ",
]
OUTCOMES = [
    "ดำเนินการตามมาตรการครบทุกขั้นตอน ผู้เข้าร่วมกิจกรรมร้อยละ ๙๐ ของบุคลากรทั้งหมด",
    "เผยแพร่ข้อมูลข่าวสารบนเว็บไซต์และเพจของหน่วยงานเป็นประจำ ประชาชนเข้าถึงข้อมูลได้สะดวกมากยิ่งขึ้น",
    "เจ้าหน้าที่มีความรู้ความเข้าใจแนวทางการปฏิบัติงานตามประมวลจริยธรรม",
    "ไม่พบการใช้ทรัพย์สินของราชการเพื่อประโยชน์ส่วนตัว",
    "ผู้รับบริการมีความพึงพอใจต่อการให้บริการในระดับมาก",
    "ข้อมูลบนเว็บไซต์เป็นปัจจุบันและครบตามองค์ประกอบ",
]
OUTCOME_UNDER_WAY = "อยู่ระหว่างรวบรวมข้อมูลและจัดทำรายงานเสนอผู้บริหาร"
SUGGESTIONS = [
    "ควรติดตามผลการดำเนินงานอย่างต่อเนื่องทุกเดือน",
    "ควรเพิ่มช่องทางการสื่อสารกับประชาชน",
    "ควรฝึกอบรมเจ้าหน้าที่ให้สามารถปฏิบัติงานแทนกันได้",
    "ควรจัดสรรงบประมาณเพิ่มเติมในปีถัดไป",
    "หากมีบุคลากรบรรจุ โอน หรือย้ายมาใหม่ ควรชี้แจงมาตรการให้ทราบ",
]
MONITORING = [
    "รายงานผลการดำเนินงานต่อผู้บริหารทุก ๖ เดือน",
    "หัวหน้าส่วนราชการกำกับติดตามและรายงานผลทุกไตรมาส",
    "คณะทำงานติดตามผลการดำเนินงานและรายงานต่อผู้บริหาร",
    "ติดตามผ่านการประชุมประจำเดือนของพนักงาน",
]
TARGETS = ["บุคลากรทุกคนของหน่วยงาน", "ประชาชนผู้มารับบริการ", "ผู้บริหาร สมาชิกสภา และพนักงาน"]
BUDGETS = [Decimal(n) for n in (5000, 10000, 20000, 30000, 50000, 100000)]
OIT_NOTES = [
    "เปิดเผยข้อมูลบนเว็บไซต์หลักของหน่วยงานครบตามองค์ประกอบ",
    "ปรับปรุงข้อมูลให้เป็นปัจจุบันทุกเดือน",
    "อยู่ระหว่างรวบรวมข้อมูลจากกองที่เกี่ยวข้อง",
    "เผยแพร่ผ่านเมนูข้อมูลสาธารณะ (OIT) ของเว็บไซต์",
]
FORWARD_COMMENTS = ["เพื่อทราบและโปรดพิจารณา", "เห็นควรเสนอผู้บริหารพิจารณา", "ทราบ เห็นควรดำเนินการตามเสนอ", "เสนอ โปรดพิจารณา"]
APPROVE_COMMENTS = ["ทราบและดำเนินการตามที่เสนอ", "อนุมัติ", "เห็นชอบ ดำเนินการตามเสนอ", "ทราบ ให้ดำเนินการต่อไป", ""]
RETURN_COMMENTS = [
    "ขอให้ทบทวนผลการดำเนินการให้ครบทุกมาตรการ",
    "ขอให้แนบหลักฐานผลการดำเนินงานเพิ่มเติม",
    "ขอให้ตรวจสอบระยะเวลาดำเนินการของมาตรการอีกครั้ง",
    "ให้ปรับปรุงข้อเสนอแนะให้ชัดเจนยิ่งขึ้น",
]
REJECT_COMMENT = "ไม่เห็นชอบ เนื่องจากข้อมูลยังไม่ครบถ้วน ให้จัดทำใหม่"

# The newest round's memo, by organisation number: any ten consecutive organisations hold each state.
NEWEST_ROUND_CYCLE = [
    "approved", "waiting_long", "approved", "draft", "waiting_short",
    "returned", "approved", "cancelled", "none", "waiting_long",
]
# How long ago the newest round's memo last moved, in days, by what happened to it.
LAST_MOVED_DAYS = {
    "approved": (1, 30), "waiting_long": (15, 45), "waiting_short": (0.2, 10), "returned": (1, 20),
    "draft": (1, 20), "cancelled": (1, 30),
}
# A round's report is written once its entries are in: these are at most REPORTED_AFTER_DUE days late.
REPORTED_AFTER_DUE, MEMO_AFTER_DUE = 4, 5
# Older memos: most go straight through; a few are returned once, or rejected or cancelled and
# written again.
OLD_OUTCOMES = [("approved", 0.9), ("returned_then_approved", 0.06), ("rejected_then_new", 0.01),
                ("cancelled_then_new", 0.03)]


# --- the years, frameworks and places ---------------------------------------------------------


class ScaleError(Exception):
    """The generator cannot do what was asked, with the reason."""


@dataclass
class FrameworkData:
    """A framework read once: what every assessment of its year is built from."""

    framework: Framework
    tools: list[Tool]
    top: dict[str, list[Indicator]]  # tool code → its top-level indicators, in order
    subs: dict[str, list[Indicator]]  # indicator number → its sub-indicators, in order
    indicators: list[Indicator]  # all, in order
    by_number: dict[str, Indicator]
    items: dict[str, list[Item]]  # tool code → its items, in order
    oit_items: list[Item]  # the checklist items, in order
    level_rules: list[dict]

    @property
    def year(self) -> int:
        return self.framework.fiscal_year


def read_framework(framework: Framework) -> FrameworkData:
    tools = list(framework.tools.order_by("order"))
    codes = {tool.pk: tool.code for tool in tools}
    indicators = list(framework.indicators.order_by("order"))
    by_pk = {indicator.pk: indicator for indicator in indicators}
    top: dict[str, list[Indicator]] = {tool.code: [] for tool in tools}
    subs: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.parent_id is None:
            top[codes[indicator.tool_id]].append(indicator)
        else:
            subs[by_pk[indicator.parent_id].number].append(indicator)
    items: dict[str, list[Item]] = {tool.code: [] for tool in tools}
    oit_items = []
    for item in framework.items.order_by("order"):
        item.indicator = by_pk.get(item.indicator_id)
        items[codes[item.tool_id]].append(item)
        if item.tool_id in {tool.pk for tool in tools if tool.checklist}:
            oit_items.append(item)
    return FrameworkData(
        framework=framework, tools=tools, top=top, subs=dict(subs), indicators=indicators,
        by_number={indicator.number: indicator for indicator in indicators}, items=items, oit_items=oit_items,
        level_rules=[rule.as_snapshot() for rule in framework.level_rules.order_by("order")],
    )


def assessment_years(years: int) -> list[int]:
    """The most recent `years` fiscal years with a framework, oldest first; refused when there are fewer."""
    available = sorted(Framework.objects.values_list("fiscal_year", flat=True))
    if years < 1:
        raise ScaleError("--years must be at least 1.")
    if years > len(available):
        raise ScaleError(
            f"Only {len(available)} fiscal years have a framework ({', '.join(map(str, available))}); "
            f"ask for --years {len(available)} or fewer, or add frameworks (assessments/frameworks/fy*.yaml)."
        )
    return available[-years:]


@dataclass
class Place:
    province: Province
    districts: list[District]  # the capital district first
    abbreviation_en: str
    name_en: str
    number: int


def place_name(rng: random.Random) -> tuple[str, str]:
    """A place name and its romanization."""
    head, tail = rng.choice(HEADS), rng.choice(TAILS)
    while tail == head:
        tail = rng.choice(TAILS)
    return head + tail, PLACE_HEADS[head] + PLACE_TAILS[tail]


HEADS, TAILS = sorted(PLACE_HEADS), sorted(PLACE_TAILS)


def ensure_places() -> list[Place]:
    """The 76 provinces with local administrations of the kinds generated here (กรุงเทพมหานคร is one office
    of its own), each with its real districts from the national register (accounts migration 0003); the
    capital district, DOPA's x01, first. Numbered in the order of the names, as the document codes use them.
    Two queries."""
    letters = {p["name_th"]: p["abbr_en"].lower() for p in thai_provinces(details=True)}
    codes = [p.code for p in geothai.provinces() if p.code != BANGKOK_CODE]
    provinces = sorted(Province.objects.filter(code__in=codes), key=lambda p: p.name)
    districts = defaultdict(list)
    for district in District.objects.filter(province__in=provinces).order_by("code"):
        districts[district.province_id].append(district)
    return [
        Place(
            province=province,
            districts=districts[province.pk],
            abbreviation_en=letters[province.name],
            name_en="".join(ch for ch in province.name_en.lower() if ch.isalnum()),
            number=number,
        )
        for number, province in enumerate(provinces, start=1)
    ]


# --- what one organisation's history is made of -----------------------------------------------


@dataclass
class IssuePlan:
    issue: AnalysisIssue
    items: list[Item]


@dataclass
class AssessmentPlan:
    assessment: Assessment
    data: FrameworkData
    board: Scoreboard
    indicator_scores: dict[str, Decimal]
    item_scores: dict[str, Decimal]  # item code → score
    issues: list[IssuePlan] = field(default_factory=list)


@dataclass
class MeasurePlan:
    measure: Measure
    tool: str
    steps: list[str]
    issues: list[IssuePlan]
    indicators: list[Indicator]
    oit_items: list[Item]
    departments: list[Department]
    positions: list[Position]


@dataclass
class EntryPlan:
    entry: ProgressEntry
    activities: list[Activity]


@dataclass
class Event:
    at: datetime
    action: str  # created, submitted, approve, return, reject, cancel
    level: int = 0
    comment: str = ""


@dataclass
class MemoPlan:
    memo: Memo
    events: list[Event]
    level_positions: list[Position]
    decisions: list[Decision] = field(default_factory=list)
    version: MemoVersion | None = None


@dataclass
class Year:
    """The cycle of one work year: its measures, rounds, progress and memos."""

    year: int
    framework: FrameworkData | None
    measures: list[MeasurePlan] = field(default_factory=list)
    rounds: list[ReportingRound] = field(default_factory=list)
    entries: dict[tuple[int, int], EntryPlan] = field(default_factory=dict)  # (measure no, round no)


@dataclass
class World:
    """One organisation and everything it holds, in memory, with the rows to insert."""

    number: int
    rng: random.Random
    organisation: Organisation
    quality: float
    departments: dict[str, Department] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)  # by login, plus "auditor"
    users: dict[str, User] = field(default_factory=dict)  # by login
    chain: list[Position] = field(default_factory=list)
    address_via: bool = False
    acting: Delegation | None = None
    assessments: dict[int, AssessmentPlan] = field(default_factory=dict)
    years: dict[int, Year] = field(default_factory=dict)
    oit_entries: dict[int, OitEntry] = field(default_factory=dict)  # by item pk
    memos: list[MemoPlan] = field(default_factory=list)


class Ids:
    """Primary keys handed out while the rows are built, so that rows can point at each other before
    any is written and be written without RETURNING. On PostgreSQL they are taken from each table's
    own sequence in blocks (what is not used is a gap, as a rolled-back insert leaves); elsewhere
    they count on from the highest id, the generator being the only writer."""

    BLOCK = 5000

    def __init__(self):
        self.pid = os.getpid()
        self.free: dict[type[models.Model], list[int]] = defaultdict(list)
        self.counted: dict[str, int] = {}

    def next(self, model: type[models.Model]) -> int:
        free = self.free[model]
        if not free:
            free.extend(reversed(self._reserve(model)))
        return free.pop()

    def _reserve(self, model: type[models.Model]) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, self.BLOCK])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
            highest = max(cursor.fetchone()[0] or 0, self.counted.get(table, 0))
            self.counted[table] = highest + self.BLOCK
            return list(range(highest + 1, highest + self.BLOCK + 1))


class Rows:
    """The rows of a batch by model, written in dependency order; `links` are many-to-many pairs. Rows
    that others point at get their id when added."""

    ORDER: ClassVar[list[type[models.Model]]] = [
        Organisation, Department, Position, User, Membership, ApprovalChain, ChainLevel, Delegation,
        Assessment, ToolScore, IndicatorScore, ItemScore, AnalysisIssue, Measure, MeasureStep, ReportingRound,
        ProgressEntry, Activity, OitEntry, Memo, Decision, MemoVersion, Document, AuditEntry, MemoCounter,
    ]
    REFERENCED: ClassVar[set[type[models.Model]]] = {
        Organisation, Department, Position, User, ApprovalChain, Assessment, AnalysisIssue, Measure,
        ReportingRound, ProgressEntry, Memo, MemoVersion,
    }

    def __init__(self, ids: Ids):
        self.ids = ids
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.plain: dict[type[models.Model], list[dict]] = defaultdict(list)
        self.links: dict[Any, list[tuple[models.Model, models.Model]]] = defaultdict(list)

    def add(self, obj: models.Model) -> Any:
        model = type(obj)
        if model in self.REFERENCED and obj.pk is None:
            obj.pk = self.ids.next(model)
        self.rows[model].append(obj)
        return obj

    def values(self, model: type[models.Model], **values) -> None:
        """A row that nothing reads back or points at, as its field values by attname: cheaper to
        make than a model instance, and most rows are such."""
        self.plain[model].append(values)

    def link(self, descriptor, source: models.Model, target: models.Model) -> None:
        self.links[descriptor].append((source, target))

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for model in {*self.rows, *self.plain}:
            counts[model._meta.label] = len(self.rows.get(model, [])) + len(self.plain.get(model, []))
        for descriptor, pairs in self.links.items():
            counts[descriptor.through._meta.label] = len(pairs)
        return counts


@dataclass
class Context:
    """What the whole run shares: options, frameworks, places, and the names and codes in use."""

    seed: int
    years: list[int]  # assessment years, oldest first
    frameworks: dict[int, FrameworkData]
    places: list[Place]
    password_hash: str
    now: datetime
    names_in_use: dict[int, set[str]]  # province id → organisation names
    websites_in_use: set[str]
    codes_in_use: set[str]
    male: list[str]
    female: list[str]
    family: list[str]
    chunk: int = 2000
    progress: Callable[[str], None] | None = None
    identities: dict[int, "Identity"] = field(default_factory=dict)
    ids: Ids = field(default_factory=lambda: Ids())
    texts: dict[tuple, str] = field(default_factory=dict)
    shared_pdfs: dict[str, dict] = field(default_factory=dict)
    today: date = field(init=False)

    def __post_init__(self):
        self.today = timezone.localdate(self.now)

    @property
    def work_years(self) -> list[int]:
        return [year + 1 for year in self.years]


def _dec(value: float) -> Decimal:
    return round_score(Decimal(f"{min(100.0, max(0.0, value)):.2f}"))


def _at(day: date, rng: random.Random) -> datetime:
    """A moment of office hours on that day, in the portal's time zone."""
    minutes = rng.randint(8 * 60 + 30, 16 * 60 + 30)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=_zone())


@functools.cache
def _zone():
    return timezone.get_default_timezone()


def _choose(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


# --- organisations and people -----------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who an office is: planned for all offices before any is built, in order, so that names are unique
    in each province and the data does not depend on how the work is split."""

    number: int
    place: Place
    kind: str
    name: str
    district: District
    host: str


def plan_identities(ctx: Context, numbers: list[int]) -> dict[int, Identity]:
    identities = {}
    for number in numbers:
        rng = random.Random(f"{ctx.seed}:{number}:identity")
        place = rng.choice(ctx.places)
        kind = _choose(rng, KINDS)
        used = ctx.names_in_use.setdefault(place.province.pk, set())
        # A city municipality carries its province's name; other offices a place name, unique in the province.
        if kind == Organisation.Kind.CITY_MUNICIPALITY and place.province.name not in used:
            name, roman = place.province.name, place.name_en
        else:
            kind = Organisation.Kind.TOWN_MUNICIPALITY if kind == Organisation.Kind.CITY_MUNICIPALITY else kind
            name, roman = place_name(rng)
            while name in used:
                name, roman = place_name(rng)
                if rng.random() < 0.3:
                    tail = rng.choice(TAILS)
                    name, roman = name + tail, roman + PLACE_TAILS[tail]
        used.add(name)
        district = place.districts[0] if rng.random() < 0.25 else rng.choice(place.districts)
        identities[number] = Identity(number, place, kind, name, district, _website_host(ctx, roman, place))
    return identities


def build_organisation(ctx: Context, identity: Identity) -> World:
    number, place, host = identity.number, identity.place, identity.host
    rng = random.Random(f"{ctx.seed}:{number}")
    first_year = fiscal_year_bounds(ctx.work_years[0])[0]
    organisation = Organisation(
        slug=slug_of(number), kind=identity.kind, name=identity.name, province=place.province,
        district=identity.district, document_code=f"{place.province.abbreviation} 7{place.number:02d}{number % 100:02d}",
        website=f"https://www.{host}", email=f"saraban@{host}", is_active=True,
        created_at=_at(first_year - timedelta(days=rng.randint(10, 60)), rng),
    )
    # Like the national ITA of local offices: most score 70–100, two in three reach 85, a tail is far below.
    quality = _choose(rng, [((0.75, 1.0), 0.6), ((0.45, 0.75), 0.28), ((0.0, 0.45), 0.12)])
    return World(number=number, rng=rng, organisation=organisation, quality=rng.uniform(*quality))


def _website_host(ctx: Context, roman: str, place: Place) -> str:
    """www.<name>.go.th, with the province's letters where another office has the name (wangthongnb)."""
    host, suffix = f"{roman}.go.th", 1
    while host in ctx.websites_in_use:
        host = f"{roman}{place.abbreviation_en}{'' if suffix == 1 else suffix}.go.th"
        suffix += 1
    ctx.websites_in_use.add(host)
    return host


def build_people(ctx: Context, world: World, rows: Rows) -> None:
    """Units, positions, the people with their logins, and the approval chain (3 or 4 levels)."""
    rng, organisation = world.rng, world.organisation
    names = list(DEPARTMENTS)
    if organisation.kind != Organisation.Kind.SAO:
        names.append(HEALTH)
    if rng.random() < 0.4:
        names.append(WELFARE)
    names.append(AUDIT_UNIT)
    for order, name in enumerate(names):
        world.departments[name] = rows.add(Department(organisation_id=organisation.pk, name=name, order=order))
    head_office, audit_unit = world.departments[HEAD_OFFICE], world.departments[AUDIT_UNIT]
    four_levels = rng.random() < 0.15
    specs = [
        ("staff", rng.choice(STAFF_TITLES), head_office, False),
        ("head", "หัวหน้าสำนักปลัด", head_office, False),
        *([("deputy", "รองปลัด", None, True)] if four_levels else []),
        ("palad", "ปลัด", None, True),
        ("nayok", MAYOR_TITLES[organisation.kind] + organisation.name, None, False)
        if organisation.kind in MAYOR_TITLES else ("nayok", "นายก", None, True),
        ("admin", rng.choice(ADMIN_TITLES), head_office, False),
        ("auditor", AUDITOR_TITLE, audit_unit, False),
    ]
    for order, (login, title, department, qualified) in enumerate(specs):
        world.positions[login] = rows.add(Position(
            organisation=organisation, department=department, title=title, qualified=qualified, order=order))
    users = create_users(ctx, world, [spec[0] for spec in specs])
    roles = {"staff": Role.STAFF, "admin": Role.ADMIN, "auditor": Role.AUDITOR}
    for login, _title, department, _qualified in specs:
        world.users[login] = rows.add(users[login])
        rows.values(
            Membership, user_id=users[login].pk, organisation_id=organisation.pk,
            department_id=department.pk if department else None, position_id=world.positions[login].pk,
            role=roles.get(login, Role.EXECUTIVE), is_active=True, created_at=organisation.created_at)
    world.chain = [world.positions[login] for login in ("head", "deputy", "palad", "nayok") if login in world.positions]
    world.address_via = rng.random() < 0.3
    chain = rows.add(ApprovalChain(organisation_id=organisation.pk, kind="", address_via=world.address_via))
    for order, position in enumerate(world.chain, start=1):
        rows.values(ChainLevel, chain_id=chain.pk, order=order, position_id=position.pk)
    # Some offices have their ปลัด acted for by the head of สำนักปลัด for a while, as in reference 000.
    if rng.random() < 0.06:
        start = fiscal_year_bounds(ctx.work_years[-1])[0] + timedelta(days=rng.randint(20, 120))
        world.acting = rows.add(Delegation(
            organisation=organisation, position=world.positions["palad"], person=users["head"],
            kind=Delegation.Kind.ACTING, start=start, end=start + timedelta(days=rng.randint(30, 90)),
            note="คำสั่งให้รักษาราชการแทนปลัด", created_at=_at(start - timedelta(days=3), rng)))


def create_users(ctx: Context, world: World, logins: Iterable[str]) -> dict[str, User]:
    """The organisation's people, `<login>.<slug>`, all with the run's one password hash (hashing each
    would take hours with argon2). The one place to extend when people need more, such as a device."""
    rng, users = world.rng, {}
    for login in logins:
        female = rng.random() < 0.55
        users[login] = User(
            username=f"{login}.{world.organisation.slug}",
            password=ctx.password_hash,
            name_prefix=rng.choice(["นาง", "นางสาว"]) if female else "นาย",
            first_name=rng.choice(ctx.female if female else ctx.male),
            last_name=rng.choice(ctx.family),
            email=f"{login}.{world.organisation.slug}@{world.organisation.website.split('www.', 1)[-1]}",
            is_active=True,
            date_joined=world.organisation.created_at,
        )
    return users


# --- assessments and their analysis -----------------------------------------------------------


def build_assessment(ctx: Context, world: World, rows: Rows, data: FrameworkData, index: int) -> AssessmentPlan:
    """The NACC's published figures of one year: indicators (and sub-indicators), the tools as their
    means, the weighted overall, and the level the year's rules give, as the NACC would publish them."""
    rng = world.rng
    quality = min(1.0, max(0.0, world.quality + 0.03 * index + rng.gauss(0, 0.04)))
    centres = {"IIT": 88 + 11 * quality, "EIT": 82 + 16 * quality}
    met_chance = 0.25 + 0.74 * quality
    item_scores: dict[str, Decimal] = {}
    indicator_scores: dict[str, Decimal] = {}
    for tool in data.tools:
        items = data.items.get(tool.code, [])
        if tool.checklist:
            for item in items:
                item_scores[item.code] = Decimal("100.00") if rng.random() < met_chance else Decimal("0.00")
            for indicator in data.top[tool.code]:
                subs = data.subs.get(indicator.number, [])
                for sub in subs:
                    own = [item_scores[i.code] for i in items if i.indicator_id == sub.pk]
                    # A sub-indicator is the share of its items met; without items in the data, drawn alike.
                    indicator_scores[sub.number] = (
                        round_score(sum(own) / len(own)) if own else _dec(rng.gauss(100 * met_chance, 12)))
                indicator_scores[indicator.number] = (
                    mean([indicator_scores[s.number] for s in subs]) if subs else _dec(rng.gauss(100 * met_chance, 12)))
        else:
            for indicator in data.top[tool.code]:
                indicator_scores[indicator.number] = _dec(rng.gauss(centres[tool.code], 3))
            for item in items:
                around = indicator_scores.get(item.indicator.number if item.indicator else "", centres[tool.code])
                item_scores[item.code] = _dec(rng.gauss(float(around), 2.5))
    tool_scores = {tool.code: mean([indicator_scores[i.number] for i in data.top[tool.code]]) for tool in data.tools}
    board = _scoreboard(data, tool_scores, indicator_scores, None, "", data.level_rules)
    published_level = board.level.name if board.level and rng.random() < 0.95 else ""
    board = _scoreboard(data, tool_scores, indicator_scores, board.derived_overall, published_level, data.level_rules)
    created = _at(fiscal_year_bounds(data.year)[1] - timedelta(days=rng.randint(0, 20)), rng)
    assessment = rows.add(Assessment(
        organisation_id=world.organisation.pk, framework_id=data.framework.pk, published_overall=board.derived_overall,
        published_level=published_level, level_rules=data.level_rules, acknowledged_warnings={},
        created_at=created, updated_at=created + timedelta(days=rng.randint(0, 30)),
        updated_by_id=world.users["staff"].pk))
    for tool in data.tools:
        rows.values(ToolScore, assessment_id=assessment.pk, tool_id=tool.pk, score=tool_scores[tool.code])
    for indicator in data.indicators:
        if indicator.number in indicator_scores:
            rows.values(IndicatorScore, assessment_id=assessment.pk, indicator_id=indicator.pk,
                        score=indicator_scores[indicator.number])
    for items in data.items.values():
        for item in items:
            rows.values(ItemScore, assessment_id=assessment.pk, item_id=item.pk, score=item_scores[item.code])
    plan = AssessmentPlan(assessment, data, board, indicator_scores, item_scores)
    build_issues(world, rows, plan)
    return plan


def _top(item: Item) -> str:
    """The number of the top-level indicator an item counts towards (9 for an item of 9.3)."""
    indicator = item.indicator
    if indicator is None:
        return ""
    return indicator.number.split(".", 1)[0]


def _scoreboard(data: FrameworkData, tool_scores: dict, indicator_scores: dict, overall, level: str,
                rules: list[dict]) -> Scoreboard:
    return build_scoreboard(
        tools=[(tool.code, tool.name, tool.weight) for tool in data.tools],
        top_indicators_by_tool={code: [i.number for i in top] for code, top in data.top.items()},
        published_tools=tool_scores, indicator_scores=indicator_scores, published_overall=overall,
        published_level=level, level_rules=rules, acknowledged={}, pass_mark=data.framework.pass_mark)


def build_issues(world: World, rows: Rows, plan: AssessmentPlan) -> None:
    """Three to seven issues (ประเด็น), each tied to a tool and its weakest items: urgent below 85."""
    rng, data = world.rng, plan.data
    codes = [tool.code for tool in data.tools]
    tools = codes + [rng.choice(codes) for _extra in range(rng.randint(0, 4))]
    titles = {code: rng.sample(ISSUES[code], len(ISSUES[code])) for code in codes}
    used_items: set[str] = set()
    year = to_thai_digits(data.year)
    for order, code in enumerate(tools, start=1):
        tool = next(t for t in data.tools if t.code == code)
        title, number = titles[code].pop()
        # The items the issue is about: those of its indicator that no earlier issue took.
        candidates = [i for i in data.items.get(code, []) if i.code not in used_items and _top(i) == number]
        if tool.checklist:
            items = [i for i in candidates if plan.item_scores[i.code] < 100][: rng.randint(1, 3)]
            weakest = Decimal(0) if items else plan.indicator_scores.get(number, Decimal(100))
        else:
            items = sorted(candidates, key=lambda i: (plan.item_scores[i.code], i.order))[: rng.randint(1, 2)]
            weakest = min([plan.item_scores[i.code] for i in items] or [plan.indicator_scores.get(number, Decimal(100))])
        used_items.update(i.code for i in items)
        kind = AnalysisIssue.Kind.URGENT if weakest < 85 else AnalysisIssue.Kind.DEVELOP
        if tool.checklist and items:
            finding = f"ยังไม่ได้เปิดเผยข้อมูลครบตามองค์ประกอบ {to_thai_digits(len(items))} ข้อ"
        else:
            finding = f"มีคะแนน {format_number(weakest)} คะแนน"
        analysis = (
            f"จากผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} ในเรื่อง{title} "
            f"ผลการประเมินของ{world.organisation.full_name} {finding} {rng.choice(ADVICE[kind])}"
        )
        issue = rows.add(AnalysisIssue(assessment_id=plan.assessment.pk, order=order, title=title, tool=tool,
                                       analysis=analysis, kind=kind))
        for item in items:
            rows.link(AnalysisIssue.items, issue, item)
        plan.issues.append(IssuePlan(issue, items))


# --- the plan: measures, rounds, progress -----------------------------------------------------


def build_plan(ctx: Context, world: World, rows: Rows, year: Year, answered: AssessmentPlan) -> None:
    """Five to eight measures answering last year's issues, each with steps, owners and a period."""
    rng, organisation = world.rng, world.organisation
    start, end = fiscal_year_bounds(year.year)
    count = max(len(answered.issues), rng.randint(5, 8))
    titles = {code: rng.sample(MEASURES[code], len(MEASURES[code])) for code in MEASURES}
    units = [d for name, d in world.departments.items() if name != AUDIT_UNIT]
    created = _at(start + timedelta(days=rng.randint(20, 60)), rng)
    for number in range(1, count + 1):
        issue = answered.issues[(number - 1) % len(answered.issues)]
        code = issue.issue.tool.code
        if rng.random() < 0.7:
            begins, ends = start, end
        else:
            begins = _month_end(start, rng.randint(0, 5)) + timedelta(days=1)
            ends = min(end, _month_end(begins, rng.randint(2, 8)))
        all_units = rng.random() < 0.45
        departments = [] if all_units else rng.sample(units, rng.randint(1, 2))
        positions = [world.positions["staff"]] if not all_units and rng.random() < 0.15 else []
        indicators = []
        if year.framework:
            wanted = ISSUE_INDICATOR.get(issue.issue.title)
            indicators = [year.framework.by_number[wanted]] if wanted in year.framework.by_number else []
        oit_items = []
        if code == "OIT" and year.framework and year.framework.oit_items and rng.random() < 0.6:
            oit_items = rng.sample(year.framework.oit_items, min(len(year.framework.oit_items), rng.randint(1, 2)))
        measure = rows.add(Measure(
            organisation_id=organisation.pk, fiscal_year=year.year, number=number,
            kind=_choose(rng, [(Measure.Kind.MEASURE, 0.75), (Measure.Kind.PROJECT, 0.15), (Measure.Kind.ACTIVITY, 0.1)]),
            title=titles[code].pop() if titles[code] else rng.choice(MEASURES[code]),
            start_date=begins, end_date=ends, all_units=all_units,
            monitoring=rng.choice(MONITORING) if rng.random() < 0.5 else "",
            planned_budget=rng.choice(BUDGETS) if rng.random() < 0.3 else None,
            target=rng.choice(TARGETS) if rng.random() < 0.4 else "",
            created_at=created, updated_at=created + timedelta(hours=rng.randint(0, 72)),
        ))
        steps = rng.sample(STEPS[code], rng.randint(1, 3))
        for order, text in enumerate(steps, start=1):
            rows.values(MeasureStep, measure_id=measure.pk, order=order, text=text)
        plan = MeasurePlan(measure, code, steps, [issue], indicators, oit_items, departments, positions)
        for descriptor, targets in ((Measure.issues, [issue.issue]), (Measure.indicators, indicators),
                                    (Measure.oit_items, oit_items), (Measure.departments, departments),
                                    (Measure.positions, positions)):
            for target in targets:
                rows.link(descriptor, measure, target)
        year.measures.append(plan)
    for spec in default_rounds(year.year, "half"):
        year.rounds.append(rows.add(ReportingRound(organisation_id=organisation.pk, fiscal_year=year.year, **spec)))



def _month_end(first: date, months: int) -> date:
    """The last day of the `months`-th month counted from `first`'s: (1 Oct, 2) gives 30 Nov, (1 Oct, 0) 30 Sep."""
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def build_progress(ctx: Context, world: World, rows: Rows, year: Year, scenario: str) -> None:
    """One entry per measure and round where reported, a few missing (late), some with activities."""
    rng = world.rng
    for index, round in enumerate(year.rounds):
        final = index == len(year.rounds) - 1
        due_passed = round.due_date < ctx.today
        newest = due_passed and all(r.due_date >= ctx.today for r in year.rounds[index + 1:])
        # An office of the "none" scenario has reported nothing in the newest round, nor written its memo.
        silent = newest and scenario == "none"
        previous_end = year.rounds[index - 1].period_end if index else round.period_start - timedelta(days=1)
        for plan in year.measures:
            measure = plan.measure
            if measure.start_date > round.period_end:
                continue
            if silent or rng.random() < (0.05 + 0.1 * (1 - world.quality) if due_passed else 0.5):
                continue
            if not due_passed:
                status = _choose(rng, [("in_progress", 0.7), ("not_started", 0.3)])
            elif final or measure.end_date <= round.period_end:
                status = _choose(rng, [("done", 0.55 + 0.3 * world.quality), ("in_progress", 0.15), ("not_started", 0.03)])
            else:
                status = _choose(rng, [("done", 0.2), ("in_progress", 0.62), ("not_started", 0.15)])
            # Most report in the weeks before the due date; some after it (late).
            latest = min(ctx.today - timedelta(days=1), round.due_date + timedelta(days=rng.randint(1, REPORTED_AFTER_DUE)))
            day = min(latest, round.due_date - timedelta(days=rng.randint(-5, 25)))
            updated = _at(max(day, measure.start_date), rng)
            reported = status != ProgressEntry.Status.NOT_STARTED
            entry = rows.add(ProgressEntry(
                measure_id=measure.pk, round_id=round.pk, status=status,
                outcome=(rng.choice(OUTCOMES) if status == "done" else OUTCOME_UNDER_WAY) if reported else "",
                suggestions=rng.choice(SUGGESTIONS) if reported and rng.random() < 0.4 else "",
                budget_used=(measure.planned_budget * Decimal(rng.choice(["0.5", "0.8", "1"]))).quantize(Decimal("0.01"))
                if reported and measure.planned_budget else None,
                draft={}, updated_at=updated, updated_by_id=world.users["staff"].pk))
            activities = []
            if reported:
                first = max(measure.start_date, previous_end + timedelta(days=1))
                last = min(measure.end_date, round.period_end, updated.date())
                for order, text in enumerate(rng.sample(ACTIVITIES, rng.randint(0, 2)), start=1):
                    if first <= last:
                        day = first + timedelta(days=rng.randint(0, (last - first).days))
                        activities.append(rows.add(Activity(entry_id=entry.pk, order=order, date=day, description=text)))
            year.entries[(measure.number, round.number)] = EntryPlan(entry, activities)


def build_oit(ctx: Context, world: World, rows: Rows) -> None:
    """The OIT checklist of every year in play: published (with the URL on the office's website) as the
    assessment of that year found it, else by the office's habits."""
    rng, organisation = world.rng, world.organisation
    owners = [world.departments[HEAD_OFFICE]] * 3 + [d for n, d in world.departments.items() if n != AUDIT_UNIT]
    for year in sorted({*ctx.years, *ctx.work_years}):
        data = ctx.frameworks.get(year)
        if data is None:
            continue
        assessed = world.assessments.get(year)
        start, end = fiscal_year_bounds(year)
        for item in data.oit_items:
            if assessed and item.code in assessed.item_scores:
                published = assessed.item_scores[item.code] >= 100
            else:
                published = rng.random() < 0.3 + 0.69 * world.quality
            status = OitEntry.Status.PUBLISHED if published else _choose(
                rng, [(OitEntry.Status.IN_PROGRESS, 0.6), (OitEntry.Status.NOT_STARTED, 0.4)])
            # A few offices report an item published without saying where: the checklist flags it.
            with_url = status == OitEntry.Status.PUBLISHED and rng.random() < 0.95
            day = min(ctx.today - timedelta(days=1), start + timedelta(days=rng.randint(30, (end - start).days)))
            world.oit_entries[item.pk] = rows.add(OitEntry(
                organisation_id=organisation.pk, item_id=item.pk, owner=rng.choice(owners), status=status,
                url=f"{organisation.website}/public/oit/{year}/{item.code}" if with_url else "",
                note=rng.choice(OIT_NOTES) if rng.random() < 0.3 else "",
                updated_at=_at(day, rng), updated_by_id=world.users["staff"].pk))


# --- what the documents say: reports.snapshots' own shapes, from the records held here ---------


def analysis_content(plan: AssessmentPlan) -> dict:
    data = plan.data
    return analysis_part(
        fiscal_year=data.year, framework=data.framework.name, board=plan.board,
        level_rules=plan.assessment.level_rules,
        indicators=[(i, plan.indicator_scores[i.number]) for i in data.indicators if i.number in plan.indicator_scores],
        issues=[
            issue_part(p.issue, [(item, plan.item_scores.get(item.code)) for item in sorted(p.items, key=lambda i: i.order)])
            for p in sorted(plan.issues, key=lambda p: p.issue.order)
        ],
    )


def _measure_row(plan: MeasurePlan) -> dict:
    measure = plan.measure
    return measure_part(
        measure, issues=[p.issue for p in sorted(plan.issues, key=lambda p: p.issue.order)],
        indicators=sorted(plan.indicators, key=lambda i: i.order), steps=plan.steps,
        owners=owners_text(all_units=measure.all_units,
                           departments=sorted(plan.departments, key=lambda d: (d.order, d.name)),
                           positions=sorted(plan.positions, key=lambda p: (p.order, p.title))))


def measures_content(year: Year) -> dict:
    return measures_part(year.year, [_measure_row(plan) for plan in year.measures])


def progress_content(year: Year, round: ReportingRound) -> dict:
    rows = []
    for plan in year.measures:
        if plan.measure.start_date > round.period_end:
            continue
        found = year.entries.get((plan.measure.number, round.number))
        rows.append(progress_row(
            _measure_row(plan), found.entry if found else None,
            activities=sorted(found.activities, key=lambda a: (a.date, a.order)) if found else ()))
    return progress_part(round, rows)


def oit_content(world: World, data: FrameworkData) -> dict:
    groups: dict[int | None, tuple[Indicator | None, list[dict]]] = {}
    for item in data.oit_items:
        groups.setdefault(item.indicator_id, (item.indicator, []))[1].append(oit_row(item, world.oit_entries.get(item.pk)))
    return oit_part(data.year, [oit_group(indicator, rows) for indicator, rows in groups.values()])


def memo_content(world: World, plan: MemoPlan, documents: dict) -> dict:
    memo = plan.memo
    titles = [p.full_title for p in plan.level_positions]
    return memo_part(
        memo, organisation=organisation_snapshot(world.organisation), addressee=addressee_text(titles, world.address_via),
        levels=titles, decisions=sorted((d for d in plan.decisions if d.review == memo.review), key=lambda d: d.level),
        documents=documents)


# --- memos: the composed text, the timeline, the decisions, the frozen version -----------------


@dataclass(frozen=True)
class _Named:
    name: str


@dataclass(frozen=True)
class _Result:
    fiscal_year: int
    overall: Decimal
    overall_is_derived: bool
    level: str
    tools: tuple[ToolResult, ...]


@dataclass(frozen=True)
class _Round:
    name: str
    period_start: date
    period_end: date


@dataclass(frozen=True)
class _Tally:
    published: int
    total: int


@dataclass(frozen=True)
class _Stand:
    full_name: str


NAME_MARK = "\ue000"


def _names_used(template: str) -> str:
    """A memo text template's source with the sources of what it includes."""
    source = engines["django"].engine.get_template(template).source
    return source + "".join(_names_used(name) for name in re.findall(r'{%\s*include\s+"([^"]+)"', source))


@functools.cache
def _depends_on(kind: str, part: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The context values a part's template reads: `result.fiscal_year`, `measures`…"""
    source = _names_used(f"reports/memo_text/{kind}/{part}.txt")
    return tuple(sorted({tuple(path.split(".")) for name in names
                         for path in re.findall(rf"\b{name}(?:\.\w+)*", source)}))


def _read(context: dict, path: tuple[str, ...]) -> Any:
    value = context.get(path[0])
    for attribute in path[1:]:
        value = getattr(value, attribute, None)
    return value


def compose_text(ctx: Context, world: World, kind: str, context: dict) -> dict[str, str]:
    """The composer's own templates (reports.services.composing), each rendered once per distinct value of what
    it reads: an office's name, written in through a mark, is often all that differs."""
    texts = {}
    names = tuple(sorted(context))
    for part in TEXT_PARTS:
        key = (kind, part, *((path, _read(context, path)) for path in _depends_on(kind, part, names)))
        if key not in ctx.texts:
            if len(ctx.texts) > 20000:
                ctx.texts.clear()
            ctx.texts[key] = render_part(kind, part, {**context, "organisation": _Stand(NAME_MARK)})
        texts[part] = ctx.texts[key].replace(NAME_MARK, world.organisation.full_name)
    return texts


def _result(plan: AssessmentPlan | None) -> _Result | None:
    if plan is None or plan.board.overall is None:
        return None
    board = plan.board
    return _Result(plan.data.year, board.overall, board.overall_is_derived, board.level.name if board.level else "",
                   tuple(t for t in board.tools if t.shown is not None))


def _latest_assessment(world: World, up_to: int) -> AssessmentPlan | None:
    years = [year for year in world.assessments if year <= up_to]
    return world.assessments[max(years)] if years else None


def _new_memo(ctx: Context, world: World, kind: str, year: Year, round: ReportingRound | None) -> Memo:
    """A memo as compose_memo writes it from the records."""
    staff = world.users["staff"]
    memo = Memo(organisation=world.organisation, kind=kind, fiscal_year=year.year,
                department=world.departments[HEAD_OFFICE], author=staff,
                author_position=world.positions["staff"].full_title, closing=Memo.Closing.FOR_CONSIDERATION,
                override_reason="")
    common = {"department": _Named(HEAD_OFFICE), "fiscal_year": year.year}
    if kind == MemoKind.ANALYSIS:
        assessment = world.assessments[year.year - 1]
        kinds = [p.issue.kind for p in assessment.issues]
        context = {**common, "result": _result(assessment), "issues": len(kinds),
                   "urgent_issues": kinds.count(AnalysisIssue.Kind.URGENT),
                   "develop_issues": kinds.count(AnalysisIssue.Kind.DEVELOP), "measures": len(year.measures)}
        memo.assessment = assessment.assessment
        memo.attachments = ["analysis"] + (["measures"] if year.measures else [])
    else:
        covered = [p for p in year.measures if p.measure.start_date <= round.period_end]
        entries = [year.entries[(p.measure.number, round.number)].entry for p in covered
                   if (p.measure.number, round.number) in year.entries]
        statuses = [entry.status for entry in entries]
        assessment = _latest_assessment(world, year.year)
        oit = _Tally(*_oit_totals(world, year)) if _oit_recorded(world, year) else None
        parts = report_parts({"summary": bool(entries), "outcome": any(entry.outcome for entry in entries),
                              "suggestions": any(entry.suggestions for entry in entries)})
        context = {**common, "result": _result(assessment), "round": _Round(round.name, round.period_start, round.period_end),
                   "measures": len(covered), "done": statuses.count("done"), "in_progress": statuses.count("in_progress"),
                   "not_started": statuses.count("not_started"), "not_reported": len(covered) - len(statuses),
                   "report_parts": parts, "oit": oit if oit and oit.total else None}
        memo.assessment = assessment.assessment if assessment else None
        memo.round = round
        memo.attachments = ["progress"] + (["oit"] if context["oit"] else [])
    for part, text in compose_text(ctx, world, kind, context).items():
        setattr(memo, part, text)
    return memo


def _oit_recorded(world: World, year: Year) -> bool:
    """As reports.services.composing.oit_recorded: any entry of the year's checklist."""
    return year.framework is not None and any(item.pk in world.oit_entries for item in year.framework.oit_items)


def _oit_totals(world: World, year: Year) -> tuple[int, int]:
    if year.framework is None:
        return 0, 0
    items = year.framework.oit_items
    published = sum(1 for item in items if (e := world.oit_entries.get(item.pk)) and e.status == OitEntry.Status.PUBLISHED)
    return published, len(items)


def _script(rng: random.Random, outcome: str, levels: int) -> list[tuple[str, int]]:
    """The steps a memo goes through, as (action, level)."""
    stop = rng.randint(1, levels)
    up_to = [("approve", level) for level in range(1, stop)]
    through = [("submitted", 0)] + [("approve", level) for level in range(1, levels + 1)]
    return [("created", 0)] + {
        "approved": through,
        "returned_then_approved": [("submitted", 0), *up_to, ("return", stop), *through],
        "waiting_long": [("submitted", 0), *up_to],
        "waiting_short": [("submitted", 0), *up_to],
        "returned": [("submitted", 0), *up_to, ("return", stop)],
        "rejected": [("submitted", 0), *up_to, ("reject", stop)],
        "draft": [],
        "cancelled": [("submitted", 0), *up_to, ("cancel", 0)] if rng.random() < 0.6 else [("cancel", 0)],
    }[outcome]


def _timeline(rng: random.Random, steps: list[tuple[str, int]], start: date) -> list[Event]:
    """Office-hour moments for the steps from `start`: hours to days apart, more after a return."""
    events, day = [], start
    moment = _at(day, rng)
    for index, (action, level) in enumerate(steps):
        if index:
            gap = rng.choice([0, 0, 1, 1, 2, 3]) if action != "submitted" or steps[index - 1][0] == "created" \
                else rng.randint(2, 7)
            if gap == 0:
                moment = moment + timedelta(minutes=rng.randint(15, 120))
            else:
                moment = _at(timezone.localtime(moment).date() + timedelta(days=gap), rng)
        events.append(Event(moment, action, level))
    return events


def build_memo(ctx: Context, world: World, rows: Rows, kind: str, year: Year, round: ReportingRound | None,
               outcome: str, start: date, until: date | None = None) -> MemoPlan | None:
    """A memo composed on `start` (or later, so that its last step falls on `until`) and taken as far as
    its outcome, cut at now; None if it is not written yet by now."""
    rng = world.rng
    if outcome in ("rejected_then_new", "cancelled_then_new"):
        first = build_memo(ctx, world, rows, kind, year, round, outcome.split("_")[0], start)
        later = (max(e.at for e in first.events).date() if first else start) + timedelta(days=rng.randint(1, 5))
        return build_memo(ctx, world, rows, kind, year, round, "approved", later)
    steps = _script(rng, outcome, len(world.chain))
    events = _timeline(rng, steps, start)
    late = (until - timezone.localtime(events[-1].at).date()).days if until else 0
    if late > 0:
        events = [Event(e.at + timedelta(days=late), e.action, e.level) for e in events]
    events = [e for e in events if e.at <= ctx.now]
    if not events:
        return None
    memo = rows.add(_new_memo(ctx, world, kind, year, round))
    plan = MemoPlan(memo, events, list(world.chain))
    _play(ctx, world, plan)
    world.memos.append(plan)
    return plan


def _decider(world: World, position: Position, at: datetime) -> tuple[User, str, str]:
    """Who decides a level on that day: its holder, or the person acting for it (capacity_for's rule)."""
    login = next(login for login, p in world.positions.items() if p is position)
    acting = world.acting
    if acting and acting.position is position and acting.start <= timezone.localtime(at).date() <= acting.end:
        head = world.positions["head"]
        return world.users["head"], Decision.Capacity.ACTING, f"{head.full_title} รักษาราชการแทน {position.full_title}"
    return world.users[login], Decision.Capacity.HOLDER, position.full_title


def _play(ctx: Context, world: World, plan: MemoPlan) -> None:
    """The memo's fields and decisions after its events, as memo_submit and memo_decide leave them."""
    memo, rng = plan.memo, world.rng
    memo.created_at = memo.updated_at = plan.events[0].at
    memo.review, memo.current_level, memo.state, memo.levels = 0, 0, Memo.State.DRAFT, []
    levels = len(plan.level_positions)
    for event in plan.events:
        if event.action == "submitted":
            if memo.date is None:
                memo.date = timezone.localtime(event.at).date()
                memo.number_year = fiscal_year(memo.date)
            memo.review += 1
            memo.current_level, memo.state = 1, Memo.State.IN_REVIEW
            memo.levels = [{"position_id": p.pk, "title": p.full_title} for p in plan.level_positions]
        elif event.action in ("approve", "return", "reject"):
            position = plan.level_positions[event.level - 1]
            actor, capacity, held = _decider(world, position, event.at)
            final = event.level == levels
            event.comment = {
                "approve": rng.choice(APPROVE_COMMENTS) if final else rng.choice(FORWARD_COMMENTS),
                "return": rng.choice(RETURN_COMMENTS), "reject": REJECT_COMMENT,
            }[event.action]
            plan.decisions.append(Decision(
                memo_id=memo.pk, review=memo.review, level=event.level, level_position=position.full_title,
                actor_id=actor.pk,
                actor_name=actor.display_name, actor_position=held, capacity=capacity, action=event.action,
                comment=event.comment, decided_at=event.at))
            if event.action == "approve" and not final:
                memo.current_level += 1
            elif event.action == "approve":
                memo.state = Memo.State.APPROVED
            elif event.action == "return":
                memo.state, memo.current_level = Memo.State.RETURNED, 0
            else:
                memo.state = Memo.State.REJECTED
        elif event.action == "cancel":
            memo.state, memo.current_level = Memo.State.CANCELLED, 0
        memo.updated_at = event.at


def build_memos(ctx: Context, world: World, rows: Rows, scenario: str) -> None:
    """Per work year: the analysis memo early in the year, then a progress memo after each round's
    due date; the newest round's memo follows the organisation's scenario, cut at now."""
    rng = world.rng
    for year in world.years.values():
        start = fiscal_year_bounds(year.year)[0]
        build_memo(ctx, world, rows, MemoKind.ANALYSIS, year, None, _choose(rng, OLD_OUTCOMES),
                   start + timedelta(days=rng.randint(45, 100)))
        for index, round in enumerate(year.rounds):
            if round.due_date >= ctx.today:
                continue
            newest = all(r.due_date >= ctx.today for r in year.rounds[index + 1:]) and year.year == max(world.years)
            if not newest:
                build_memo(ctx, world, rows, MemoKind.PROGRESS, year, round, _choose(rng, OLD_OUTCOMES),
                           round.due_date + timedelta(days=rng.randint(MEMO_AFTER_DUE, 25)))
                continue
            if scenario == "none":
                continue
            # Its last step counted back from now, so that a memo waits as long as its scenario says.
            low, high = LAST_MOVED_DAYS[scenario]
            moved = ctx.today - timedelta(days=round_days(rng.uniform(low, high)))
            build_memo(ctx, world, rows, MemoKind.PROGRESS, year, round, scenario,
                       round.due_date + timedelta(days=MEMO_AFTER_DUE), until=moved)
    _number(world, rows)


def round_days(days: float) -> int:
    return int(days + 0.5)


def _number(world: World, rows: Rows) -> None:
    """Running numbers per unit and numbering year, in order of first submission; counters to match."""
    counters: dict[int, int] = defaultdict(int)
    submitted = [p for p in world.memos if p.memo.date is not None]
    for plan in sorted(submitted, key=lambda p: next(e.at for e in p.events if e.action == "submitted")):
        counters[plan.memo.number_year] += 1
        plan.memo.number = counters[plan.memo.number_year]
    for number_year, last in counters.items():
        rows.values(MemoCounter, organisation_id=world.organisation.pk,
                    department_id=world.departments[HEAD_OFFICE].pk, fiscal_year=number_year, last_number=last)


def freeze(ctx: Context, world: World, rows: Rows) -> None:
    """For each approved memo: its version (the content freeze_and_render would freeze), its documents
    (one per kind and content, as get_or_create leaves them), the round it locks, and the trail."""
    seen: set[tuple[str, str]] = set()
    for plan in world.memos:
        memo = plan.memo
        for decision in plan.decisions:
            rows.add(decision)
        _trail(world, rows, plan)
        if memo.state != Memo.State.APPROVED:
            continue
        year = world.years[memo.fiscal_year]
        documents = {}
        if "analysis" in memo.attachments:
            documents["analysis"] = analysis_content(world.assessments[memo.fiscal_year - 1])
        if "measures" in memo.attachments:
            documents["measures"] = measures_content(year)
        if "progress" in memo.attachments:
            documents["progress"] = progress_content(year, memo.round)
        if "oit" in memo.attachments:
            documents["oit"] = oit_content(world, year.framework)
        content = memo_content(world, plan, documents)
        version_hash, document_hashes = content_hashes(content)
        frozen = plan.events[-1].at
        plan.version = rows.add(MemoVersion(memo_id=memo.pk, content=content, sha256=version_hash, frozen_at=frozen))
        rows.values(
            AuditEntry, organisation_id=world.organisation.pk, action="ita.memo.frozen", object_type="reports.memo",
            object_id=memo.pk, actor_id=plan.decisions[-1].actor_id, actor_name=plan.decisions[-1].actor_name,
            data={"sha256": plan.version.sha256}, created_at=frozen)
        if memo.round is not None and memo.round.locked_at is None:
            memo.round.locked_at = frozen
        for kind in ["memo", *documents]:
            digest = document_hashes[kind]
            if (kind, digest) in seen:
                continue
            seen.add((kind, digest))
            own_year, own_round = own_year_and_round(
                kind, content if kind == "memo" else {**documents[kind], "organisation": content["organisation"]})
            document = dict(
                organisation_id=world.organisation.pk, kind=kind, version_id=plan.version.pk, content=None,
                fiscal_year=own_year, round_number=own_round,
                code=_code(ctx, world.rng), content_hash=digest, state=Document.State.READY, error="",
                attempts=1, created_at=frozen, rendered_at=frozen + timedelta(seconds=world.rng.randint(3, 90)))
            if kind not in ctx.shared_pdfs:
                ctx.shared_pdfs[kind] = shared_pdf(Document(**document, version=plan.version))
            rows.values(Document, **document, **ctx.shared_pdfs[kind])


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _object(encoded: dict[str, str]) -> str:
    """A JSON object of values already encoded, with its keys in canonical_hash's order."""
    return "{" + ",".join(f"{_dumps(key)}:{encoded[key]}" for key in sorted(encoded)) + "}"


def content_hashes(content: dict) -> tuple[str, dict[str, str]]:
    """canonical_hash(content), and content_hash(kind, part, draft=False) of the memo and of each document
    as freeze_and_render hashes them: the same JSON texts, assembled from parts encoded once, where the
    functions would encode the big parts three times (the tests hold the results against them)."""
    organisation = _dumps(content["organisation"])
    parts = {kind: {key: _dumps(value) for key, value in part.items()} for kind, part in content["documents"].items()}
    memo = _object({**{key: _dumps(value) for key, value in content.items() if key != "documents"},
                    "documents": _object({kind: _object(encoded) for kind, encoded in parts.items()})})

    def document(kind: str, text: str) -> str:
        wrapped = {"template": _dumps(TEMPLATE_VERSIONS[kind]), "draft": "false", "content": text}
        return hashlib.sha256(_object(wrapped).encode()).hexdigest()

    hashes = {"memo": document("memo", memo)}
    for kind, encoded in parts.items():
        hashes[kind] = document(kind, _object({**encoded, "organisation": organisation}))
    return hashlib.sha256(memo.encode()).hexdigest(), hashes


AUDIT_ACTIONS = {"created": "ita.memo.created", "submitted": "ita.memo.submitted", "return": "ita.memo.returned",
                 "reject": "ita.memo.rejected", "cancel": "ita.memo.cancelled"}


def _trail(world: World, rows: Rows, plan: MemoPlan) -> None:
    """The audit entries the services write at each step."""
    memo, levels, review = plan.memo, len(plan.level_positions), 0
    decisions = iter(plan.decisions)
    staff = world.users["staff"]
    for event in plan.events:
        actor_id, name, position, capacity = staff.pk, staff.display_name, "", ""
        if event.action == "created":
            data = {"kind": memo.kind, "fiscal_year": memo.fiscal_year}
        elif event.action == "submitted":
            review += 1
            data = {"number": memo.number, "review": review, "override_reason": "", "mismatches": []}
        elif event.action == "cancel":
            data = {"number": memo.number}
        else:
            decision = next(decisions)
            actor_id, name, position, capacity = (
                decision.actor_id, decision.actor_name, decision.actor_position, decision.capacity)
            data = {"level": event.level, "review": review, "comment": event.comment}
        action = AUDIT_ACTIONS.get(event.action) or (
            "ita.memo.approved" if event.level == levels else "ita.memo.forwarded")
        rows.values(
            AuditEntry, organisation_id=world.organisation.pk, action=action, object_type="reports.memo",
            object_id=memo.pk, actor_id=actor_id, actor_name=name, actor_position=position, capacity=capacity,
            data=data, created_at=event.at)


def _code(ctx: Context, rng: random.Random) -> str:
    """A verification code as new_document_code makes them, from the run's random numbers, unique."""
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in ctx.codes_in_use:
            ctx.codes_in_use.add(code)
            return code


# --- one organisation, a batch, the run -------------------------------------------------------


def build_world(ctx: Context, identity: Identity, rows: Rows) -> World:
    number = identity.number
    world = build_organisation(ctx, identity)
    rows.add(world.organisation)
    build_people(ctx, world, rows)
    for index, year in enumerate(ctx.years):
        world.assessments[year] = build_assessment(ctx, world, rows, ctx.frameworks[year], index)
    scenario = NEWEST_ROUND_CYCLE[(number - 1) % len(NEWEST_ROUND_CYCLE)]
    for year in ctx.work_years:
        world.years[year] = Year(year, ctx.frameworks.get(year))
        build_plan(ctx, world, rows, world.years[year], world.assessments[year - 1])
        build_progress(ctx, world, rows, world.years[year], scenario if year == ctx.work_years[-1] else "")
    build_oit(ctx, world, rows)
    build_memos(ctx, world, rows, scenario)
    freeze(ctx, world, rows)
    return world


@contextmanager
def _given_timestamps(model_list: Iterable[type[models.Model]]):
    """Let bulk_create keep the historical times set on the rows: auto_now(_add) would stamp them
    all with this moment, and an UPDATE afterwards would double the writes."""
    saved = []
    for model in model_list:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert(rows: Rows, chunk: int) -> None:
    """Every row of the batch, table after table, then the many-to-many pairs: COPY on PostgreSQL,
    bulk_create elsewhere (the tests' SQLite)."""
    copying = connection.vendor == "postgresql"
    for model in Rows.ORDER:
        objs, plain = rows.rows.get(model, []), rows.plain.get(model, [])
        if not (objs or plain):
            continue
        if copying:
            fields = [f for f in model._meta.concrete_fields if model in Rows.REFERENCED or not f.primary_key]
            _copy(model, fields, [*_instance_values(objs, fields), *_plain_values(plain, fields)])
        else:
            _bulk_create(model, [*objs, *(model(**values) for values in plain)], chunk)
    for descriptor, pairs in rows.links.items():
        through = descriptor.through
        source, target = (through._meta.get_field(descriptor.field.m2m_field_name()),
                          through._meta.get_field(descriptor.field.m2m_reverse_field_name()))
        if copying:
            _copy(through, [source, target], ([a.pk, b.pk] for a, b in pairs))
        else:
            _bulk_create(through, [through(**{source.attname: a.pk, target.attname: b.pk}) for a, b in pairs], chunk)


def _instance_values(objs: list[models.Model], fields: list[models.Field]) -> Iterator[list]:
    attnames = [f.attname for f in fields]
    for obj in objs:
        yield [getattr(obj, name) for name in attnames]


def _plain_values(plain: list[dict], fields: list[models.Field]) -> Iterator[list]:
    defaults = [(f.attname, f.get_default()) for f in fields]
    for values in plain:
        yield [values.get(name, default) for name, default in defaults]


def _copy(model: type[models.Model], fields: list[models.Field], rows: Iterable[list]) -> None:
    """COPY … FROM STDIN of the values as they are. Django's bulk_create prepares each value in Python
    and sends the rows as arrays (UNNEST), whose quoting psycopg does in Python too: about 0.1 ms a
    row, most of a run of millions of rows."""
    convert = [(index, converter) for index, f in enumerate(fields) if (converter := _copy_converter(f))]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for values in rows:
            for index, converter in convert:
                values[index] = converter(values[index])
            copy.write_row(values)


def _copy_converter(f: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(f, models.JSONField):
        # Unescaped Thai is a third shorter than \\u escapes, and parsed that much faster by the server.
        return lambda value: None if value is None else Jsonb(value, dumps=_utf8_json)
    if isinstance(f, models.FileField):
        return lambda value: getattr(value, "name", value) or ""
    return None


def _utf8_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _bulk_create(model: type[models.Model], objs: list[models.Model], chunk: int) -> None:
    with _given_timestamps([model]):
        model.objects.bulk_create(objs, batch_size=chunk)


def shared_pdf(document: Document) -> dict:
    """The one stored PDF of a kind: one a previous run made, else rendered now from this document."""
    existing = (Document.objects.filter(kind=document.kind, pdf__startswith=f"{SHARED_PDF_DIR}/")
                .values("pdf", "sha256", "pages").first())
    if existing and default_storage.exists(existing["pdf"]):
        return existing
    pdf, pages = render_pdf(document)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{SHARED_PDF_DIR}/{document.kind}-{digest[:16]}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(pdf))
    return {"pdf": name, "sha256": digest, "pages": pages}


@dataclass
class Report:
    created: list[str]
    skipped: int
    counts: dict[str, int]
    years: list[int]
    work_years: list[int]
    password: str
    oversight: list[str] = field(default_factory=list)


def generate(*, orgs: int, years: int, seed: int = 1, batch_size: int = 100, password: str = DEFAULT_PASSWORD,
             now: datetime | None = None, jobs: int = 1, chunk: int = 2000,
             progress: Callable[[str], None] | None = None) -> Report:
    """Create organisations s00001…s<orgs> with their history. Those that exist already are left as
    they are (a second run adds nothing; a larger --orgs adds the missing ones).

    `jobs` processes build and write batches side by side (PostgreSQL only, and not inside a
    transaction, which other processes would not see). The first batch is made here first, so that
    the shared PDFs exist before the others start."""
    if orgs < 1 or orgs > 99999:
        raise ScaleError("--orgs must be between 1 and 99999.")
    load_all_frameworks()
    chosen = assessment_years(years)
    frameworks = {f.fiscal_year: read_framework(f) for f in Framework.objects.filter(
        fiscal_year__in=[*chosen, *[y + 1 for y in chosen]])}
    wanted = [n for n in range(1, orgs + 1)]
    existing = set(Organisation.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
    missing = [n for n in wanted if slug_of(n) not in existing]
    report = Report([], len(wanted) - len(missing), defaultdict(int), chosen, [y + 1 for y in chosen], password)
    if not missing:
        report.oversight = area_logins(make_password(password))
        two_factor_devices()
        return report
    names_in_use: dict[int, set[str]] = defaultdict(set)
    for province_id, name in Organisation.objects.values_list("province_id", "name"):
        names_in_use[province_id].add(name)
    ctx = Context(
        seed=seed, years=chosen, frameworks=frameworks, places=ensure_places(),
        password_hash=make_password(password), now=now or timezone.now(), names_in_use=names_in_use,
        websites_in_use={w.split("www.", 1)[-1] for w in Organisation.objects.exclude(website="").values_list(
            "website", flat=True)},
        codes_in_use=set(Document.objects.values_list("code", flat=True)),
        male=sorted(thai_male_names()), female=sorted(thai_female_names()), family=sorted(thai_family_names()),
        chunk=chunk, progress=progress,
    )
    ctx.identities = plan_identities(ctx, missing)
    batches = [missing[start:start + batch_size] for start in range(0, len(missing), batch_size)]
    if jobs > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block):
        jobs = 1
    results = [run_batch(ctx, batches[0])]
    if jobs > 1 and len(batches) > 1:
        global _CHILD_CONTEXT
        _CHILD_CONTEXT = ctx
        # Children open connections of their own; one inherited from here would be shared and broken.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results += pool.imap_unordered(_run_in_child, batches[1:])
    else:
        results += (run_batch(ctx, numbers) for numbers in batches[1:])
    for numbers, counts in results:
        report.created += [slug_of(n) for n in numbers]
        for label, count in counts.items():
            report.counts[label] += count
    report.created.sort()
    report.oversight = area_logins(ctx.password_hash)
    two_factor_devices()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Until autovacuum comes round, the planner believes the tables as small as before the load and
        # hash-joins 8,000 organisations to find one person's membership (5 ms instead of 0.1 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report


def area_logins(password_hash: str) -> list[str]:
    """One provincial oversight login per province that has generated organisations, `oversight.p01`…
    in the order of the provinces' names, so that a load scenario can pick any of them."""
    provinces = list(Province.objects.filter(organisations__slug__startswith=SLUG_PREFIX).distinct().order_by("name"))
    logins = [f"oversight.p{index:02d}" for index in range(1, len(provinces) + 1)]
    existing = set(User.objects.filter(username__in=logins).values_list("username", flat=True))
    User.objects.bulk_create([
        User(username=login, password=password_hash, first_name="กำกับ", last_name=f"จังหวัด{province.name}")
        for login, province in zip(logins, provinces) if login not in existing
    ])
    users = dict(User.objects.filter(username__in=logins).values_list("username", "pk"))
    OversightMembership.objects.bulk_create([
        OversightMembership(user_id=users[login], province=province) for login, province in zip(logins, provinces)
    ], ignore_conflicts=True)
    return logins


def two_factor_devices() -> None:
    """Generated admins and executives must log in in two steps; they get the demo's published key
    (demo/twofactor.py), so that a load scenario can compute their codes."""
    key = b32decode(DEMO_TOTP_KEY).hex()
    people = (User.objects.filter(username__regex=rf"\.{SLUG_PREFIX}\d+$", totpdevice__isnull=True,
                                  memberships__role__in=[Role.ADMIN, Role.EXECUTIVE]).distinct().values_list("pk", flat=True))
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user_id=pk, name="demo", key=key, confirmed=True) for pk in people.iterator()], batch_size=2000)


def run_batch(ctx: Context, numbers: list[int]) -> tuple[list[int], dict[str, int]]:
    """Build a batch of offices in memory, then write it in one transaction."""
    started = time_module.monotonic()
    rows = Rows(ctx.ids)
    for number in numbers:
        build_world(ctx, ctx.identities[number], rows)
    with transaction.atomic():
        insert(rows, ctx.chunk)
    if ctx.progress:
        ctx.progress(f"{slug_of(numbers[0])}–{slug_of(numbers[-1])} written in "
                     f"{time_module.monotonic() - started:.1f} s (process {os.getpid()})")
    return numbers, rows.counts()


_CHILD_CONTEXT: Context | None = None


def _run_in_child(numbers: list[int]) -> tuple[list[int], dict[str, int]]:
    ctx = _CHILD_CONTEXT
    if ctx.ids.pid != os.getpid():
        # The ids reserved before the fork are the parent's: every process reserves its own.
        ctx.ids = Ids()
    return run_batch(ctx, numbers)
