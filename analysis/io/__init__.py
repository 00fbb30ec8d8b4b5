"""Reading corpora: one reader and one validator for CSV, JSONL, Parquet and corpus folders."""
