"""Production serving with gunicorn: `gunicorn --config scripts/gunicorn.conf.py wsgi:app`.

A request is mostly Python (the ORM and the templates) with short PostgreSQL round trips in
between, so the application is CPU-bound: one worker process per core and one thread each
serves the most.  Measured on the 2-core box with 20 users (docs/performance.md, section 2):
2 workers x 1 thread 172-177 req/s, 2 x 2 160, 3 x 1 166, 2 x 4 144, and the textbook
2 x cores + 1 = 5 workers x 4 threads 122 -- more threads fight over the GIL, more processes over
the two cores with PostgreSQL.  The gthread worker still holds idle keep-alive connections in its
poller, so one thread per worker accepts a thousand open connections.  The long work (billing
runs, reports, mail) runs in the background workers; what stays in a request (one invoice PDF,
a month's stored PDFs as a ZIP) takes a second or so, while the requests queued on that worker
wait -- raise GUNICORN_WORKERS or GUNICORN_THREADS where such downloads are frequent.  Tune with
environment variables rather than editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Keep-alive connections waiting for the next request do not occupy a thread with gthread.  Each
# worker holds at most worker_connections - threads of them, and the accepts are not shared out
# evenly: with 1,000 clients connecting at once, one worker took at least 999 of them and closed
# the next keep-alive connection it was to hold (run_http.py connections, at 1,000).  Hence 2,000.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 2000))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 30))
# Each worker listens on its own socket (SO_REUSEPORT) and the kernel shares new connections out
# between them; on one shared socket the first worker to wake takes a burst of connections
# whole, and a client's keep-alive connection stays with that worker for good.
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "1") == "1"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 20
# No periodic recycling by default: a recycled gthread worker closes every keep-alive connection
# it holds, and a request already on its way over one is reset (seen at 1,000 users,
# docs/performance.md).  Set it if a leak ever needs containing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Move everything the application loaded at start-up out of the garbage collector's sight
    (gc.freeze) and collect the young generation less often: a page allocates thousands of short-
    lived objects, and each full collection would otherwise walk the ~200,000 long-lived ones
    (SQLAlchemy, Jinja, Babel).  Measured in-process over the benchmark pages: the collector's
    share of CPU 6-8 % -> 5 %."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 10, 10)
