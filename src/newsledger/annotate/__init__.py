"""annotate: clean text -> spaCy Doc. The model is loaded once per process and passed around.

- `model.py`: `load_nlp`, the installed English model;
- `ruler.py`: the model's attribute ruler applied by index (a tenth of a bare `nlp.pipe`, done
  in a fraction of that), giving the same attributes;
- `annotator.py`: `Annotator`, the model with that ruler: `pipe` gives the Docs `nlp.pipe` gives.
"""
