"""Production serving with gunicorn: `gunicorn --config scripts/gunicorn.conf.py wsgi:app`.

Sync workers are the right fit: every request is one short PostgreSQL transaction under the
user's role, so a worker per core pair plus threads covers I/O waits.  Tune with environment
variables rather than editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Keep-alive connections waiting for the next request do not occupy a thread with gthread.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 1000))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 30))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 20
# No periodic recycling by default: a recycled gthread worker closes every keep-alive connection
# it holds, and a request already on its way over one is reset (seen at 1,000 users,
# docs/performance.md).  Set it if a leak ever needs containing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
