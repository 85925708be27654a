"""pipeline: running the stages (read -> repair -> annotate -> extract -> store -> track).

- `core.py`: `Resources` (loaded once, passed explicitly), `extract_from_doc`,
  `extract_articles`, `StageTimer`;
- `ingest.py`: `ingest` and `ingest_articles` (extract, store and track each article),
  `extract_paths` (`newsledger extract`);
- `runners.py`: how to run it (in this process, with an annotation process, in N worker
  processes, or on a Dask cluster), chosen in one place;
- `parallel/`: the child-process helper shared by the annotation process and the worker
  processes, and the Dask client.
"""
