"""The browsing views: what the home page, the index pages and the pages of a plan, an agency,
a directive, a waste domain or a funding source show, read from a Store with SPARQL.

Each module answers plain dataclasses with labels already chosen for the reader's language
(`bioplan.labels.pick`, the other language as fallback); the HTTP layer only renders them.
"""
