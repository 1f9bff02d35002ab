# The two commands a newcomer needs (see README.md):
#   make run   set up everything and serve the app with demo data on http://127.0.0.1:5000
#   make test  set up everything and run the whole test suite on a throwaway cluster
.PHONY: run test setup lint bench

run:
	scripts/run.sh

test:
	WITH_BROWSER=1 scripts/bootstrap.sh
	.venv/bin/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

setup:
	scripts/bootstrap.sh

lint:
	.venv/bin/ruff check app tests migrations scripts
