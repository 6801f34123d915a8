"""Every page that sets a password lists Django's rules for it, and in Thai they read in Thai."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


def test_the_rules_of_a_password_read_in_thai():
    with translation.override("th"):
        texts = password_validators_help_texts()
    assert len(texts) == 4
    assert not any("password" in text.lower() for text in texts), texts
    assert "รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร" in texts


@pytest.mark.django_db
def test_a_refused_password_says_why_in_thai():
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        validate_password("12345")
    messages = refused.value.messages
    assert "รหัสผ่านนี้สั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร" in messages
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in messages
    assert not any("password" in message.lower() for message in messages)
