"""ASGI entry for the Ninja peer (uvicorn peersite.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
application = get_asgi_application()
