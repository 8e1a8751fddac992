"""The change-tracking engine: publication states and workflow, one revision per real
change (with who and why), diffs, time travel, locking, the admin base classes, public
history, ``/changes/``, its feed and the exports.

It imports no domain app. A model opts in by subclassing ``TrackedModel`` (or
``PublishableModel``) and declaring a ``Tracking`` inner class; see ``options.py``.
"""
