"""extract: spaCy Doc -> typed records (events, quotes, claims, deadlines, entities)."""
