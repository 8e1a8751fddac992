"""Deep pages of a long list at the cost of the first.

A list whose order keeps each group's rows together — figures by indicator, then newest
first — can find where page 1,000 starts without walking 50,000 sorted rows: from the
number of rows in each group, in the list's order, kept until the next public change.
The page then reads only the groups it spans, from the first of them on.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.functional import cached_property

from .freshness import cached_until_public_change, public_count, query_key


def grouped_order(queryset, group_field: str) -> tuple[list, list] | None:
    """(the order of the groups, the order within a group) when ``queryset``'s order
    keeps each group's rows together: ``group_field`` (``indicator_id``) comes after keys
    of the group's record alone (``indicator__name_en``), so they order whole groups.
    None for any other order (a list sorted by period)."""
    ordering = [str(key) for key in queryset.query.order_by]
    if group_field not in ordering:
        return None
    cut = ordering.index(group_field) + 1
    relation = group_field.removesuffix("_id") + "__"
    if not all(key.lstrip("-").startswith(relation) for key in ordering[: cut - 1]):
        return None
    return ordering[:cut], ordering[cut:]


class GroupedKeys:
    """The primary keys of ``queryset`` (ordered with ``group_field`` among its leading
    keys), sliced as a ``Paginator`` slices them: one query for a page, however deep, after
    one query counting each group (kept until the next public change)."""

    def __init__(self, queryset, group_field: str, group_ordering: list):
        self.queryset = queryset
        self.group_field = group_field
        self.group_ordering = group_ordering

    @cached_property
    def groups(self) -> list[tuple[object, int]]:
        """(group, number of rows) in the list's order."""

        def count_groups():
            rows = (
                self.queryset.order_by()
                .values(self.group_field)
                .annotate(rows=Count("pk"))
                .order_by(*self.group_ordering)
                .values_list(self.group_field, "rows")
            )
            return list(rows)

        key = query_key(self.queryset, self.group_ordering)
        return cached_until_public_change(f"groups:{key}", count_groups)

    def count(self) -> int:
        return sum(rows for _group, rows in self.groups)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list:
        start, stop = page.start or 0, page.stop
        groups, index, skipped = self.groups, 0, 0
        while index < len(groups) and skipped + groups[index][1] <= start:
            skipped += groups[index][1]
            index += 1
        spanned, reach = [], skipped
        while index < len(groups) and reach < stop:
            spanned.append(groups[index][0])
            reach += groups[index][1]
            index += 1
        if not spanned:
            return []
        keys = self.queryset.filter(**{f"{self.group_field}__in": spanned})
        return list(keys.values_list("pk", flat=True)[start - skipped : stop - skipped])


def list_keys(queryset, group_field: str | None, *, snapshot: bool):
    """What a list's ``Paginator`` pages through: the keys of ``queryset`` in its order.

    Grouped (``GroupedKeys``) where the order keeps ``group_field``'s rows together.
    Otherwise, now: a keys query whose count is kept until the next public change; as of
    a moment (``snapshot``): every key, read sorted in one query, since the snapshot is
    worked out once that way, where a count and then a page of keys would each work it
    out again (and a LIMIT tempts PostgreSQL into walking the history record by record).
    """
    grouped = grouped_order(queryset, group_field) if group_field else None
    if grouped is not None:
        return GroupedKeys(queryset, group_field, grouped[0])
    keys = queryset.values_list("pk", flat=True)
    if snapshot:
        return list(keys)
    return CountedKeys(keys)


class CountedKeys:
    """A keys query whose count is ``public_count``'s (kept until the next public change)."""

    def __init__(self, keys):
        self.keys = keys

    def count(self) -> int:
        return public_count(self.keys)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list:
        return list(self.keys[page])
