from django.contrib import admin

from sco_tracker.tracking.admin import PublishableAdmin

from .models import Statement


@admin.register(Statement)
class StatementAdmin(PublishableAdmin):
    list_display = ["text", "state", "meeting"]
    list_filter = ["state"]
    fields = ["meeting", "speaker", "text"]
