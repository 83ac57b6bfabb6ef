"""Similar-case retrieval quality on LeCaRD-style benchmarks: metrics, the BM25 baseline and our ranking."""
