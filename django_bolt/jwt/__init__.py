"""
JSON Web Token authentication compatible with djangorestframework-simplejwt.

Tokens carry the same claims (``token_type``, ``exp``, ``iat``, ``jti``, ``user_id``), are signed with the same
settings (``SIMPLE_JWT``: ``SIGNING_KEY`` defaulting to ``SECRET_KEY``, ``ALGORITHM`` HS256…) and errors have
the same bodies, so tokens issued by a simplejwt deployment authenticate here and the other way round.
"""
