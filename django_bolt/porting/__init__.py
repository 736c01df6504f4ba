"""
Tooling for moving a DRF project onto Bolt endpoint by endpoint: ``report`` (what is served where, what porting
each DRF view needs: ``manage.py bolt_report``), ``parity`` (replay recorded requests against the DRF and the Bolt
version and diff them: ``manage.py bolt_parity``; ``recorder`` is the middleware that records them) and the
``both_apis`` pytest fixture (``django_bolt.pytest_plugin``).
"""
