"""The parallel runners: the annotation process, the worker processes and Dask."""
