from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "organisation", "kind", "sentence", "read_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["recipient__username", "dedupe_key"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at"]

    @admin.display(description=_("text"))
    def sentence(self, obj: Notification) -> str:
        return obj.text
