"""A plain, by-the-docs Django project over this project's tables, to be measured against.

Models map the same tables (``managed = False``, ``db_table``), simple-history's
``HistoricalRecords`` reads the same historical tables, django-filter drives the list, the
admin is a stock ``ModelAdmin``. Nothing is tuned: no ``select_related``, default
ordering, the documented patterns as written. It never writes and has no migrations.
"""
