"""Accounts that authored revisions stay: the admin offers deactivation instead of
deletion (the database refuses the deletion anyway, see ``TrackedHistoricalRecords``)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..options import tracked_models


def authored_revisions(user) -> int:
    return sum(model.history.filter(history_user=user).count() for model in tracked_models())


class AuthorAwareUserAdmin(UserAdmin):
    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        count = authored_revisions(user) if user is not None else 0
        if count:
            self.message_user(
                request,
                ngettext(
                    "“%(user)s” authored %(count)d revision, so the account is kept for the "
                    "audit trail: untick “Active” to stop them signing in.",
                    "“%(user)s” authored %(count)d revisions, so the account is kept for the "
                    "audit trail: untick “Active” to stop them signing in.",
                    count,
                )
                % {"user": user.get_username(), "count": count},
                messages.ERROR,
            )
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[user.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        authors = [user for user in objs if authored_revisions(user)]
        if authors:
            protected = [
                _("%(user)s authored revisions: deactivate the account instead.")
                % {"user": user.get_username()}
                for user in authors
            ]
        return deleted, model_count, perms_needed, protected


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AuthorAwareUserAdmin)
