"""Cross-cutting pieces every context uses: database base classes and the identity (row level
security) hooks, htmx and error handling, PDFs, money and the business-day calendar."""
