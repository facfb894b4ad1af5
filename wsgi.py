"""The production entry point: ``gunicorn wsgi:app``.

It lives outside the package on purpose: building the production app needs
DATABASE_URL, SECRET_KEY and JWT_SECRET_KEY, and importing ``reference_app`` never may.
"""

from reference_app import create_app

app = create_app("production")
