from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry


def trail_of(target: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=target.pk).order_by(
        "created_at", "pk"
    )
