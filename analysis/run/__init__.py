"""Running at scale: chunked, cached, parallel and Dask execution over a corpus file."""
