"""In-process benchmark of the reference app: ``make bench``, or ``python -m bench``.

It measures the requests per second of a few read endpoints as ratios to a bare Flask
JSON endpoint, counts the SQL statements each request issues, times password hashing,
and checks the figures against the targets in ``bench.__main__``. It is a report, not a
test: it exits 0 whether the targets pass or fail (``--quick`` makes a short smoke run).

Modules:

- ``bench.api``: the apps under test, the seeded database and the endpoints.
- ``bench.timing``: the request drivers (the Flask test client, on which the targets
  are judged, and direct WSGI calls, the app's own cost) and the timing loops.
- ``bench.quick``: ``python -m bench.quick`` times a quick implementation of the same
  reads, to tell which driver and library versions the targets' reference figures fit.
- ``bench.floors``: ``python -m bench.floors`` times what every read behind a token pays
  before its view runs (flask-jwt-extended's check, then the token user's lookup by
  Core, by ``db.session.get``, and in the app) and what each ratio target leaves.
- ``bench.breakdown``: ``python -m bench.breakdown [me page1 ...]`` profiles requests and
  splits their time into JWT decode, user lookup, queries, dump, jsonify and the rest
  (needs pyinstrument, which is not a dependency).

To measure a modified copy of the app, run from the folder that holds the copy's
``reference_app``, so that it comes first on ``sys.path``, with this project on
``PYTHONPATH`` for ``bench`` itself::

    cd ../my-copy && PYTHONPATH=../workbook ../workbook/.venv/bin/python -m bench

The header's ``app`` line shows which ``reference_app`` was measured.
"""
