"""Bulk data entry: records read from CSV and XLSX files (django-import-export), one
revision per record written, drafts and proposals as in the admin (see ``resources.py``)."""
