"""The benchmark: a generator of national-scale data and a runner comparing four SPARQL engines."""
