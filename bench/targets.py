"""The benchmark's targets, and the driver the ratio targets are judged on."""

# The Flask test client: the targets' reference figures were taken through it
# (``python -m bench.quick`` shows why).
TARGET_DRIVER = "client"

# Minimum requests per second, as ratios to the bare endpoint.
MIN_RATIOS = {"me": 0.28, "by_id": 0.24, "page1": 0.16}
MAX_LIST_STATEMENTS = 2  # per list page, beyond the token user's own lookup
MAX_DEEP_SLOWDOWN = 1.2  # deep page vs page 1
MIN_HASH_SPEEDUP = 5.0  # testing hash vs werkzeug's default
