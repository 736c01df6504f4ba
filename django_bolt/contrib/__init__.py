"""Bolt counterparts of third-party DRF add-ons, for serializers ported to ``django_bolt.serializers``."""
