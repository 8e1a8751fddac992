"""Settings split the bakerydemo way: ``base`` holds what every environment shares,
``dev``/``test``/``production`` adjust it. ``manage.py`` defaults to ``dev``."""
