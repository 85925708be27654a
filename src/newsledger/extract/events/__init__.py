"""Events coded the way ACLED codes them: one event per event-reporting sentence.

`extract_events(doc, published, places, rules)` reads a spaCy Doc sentence by sentence. A sentence
reports an event when one of the trigger cues of `data/event_rules.json` matches it and no modal,
plan, threat or negation governs the trigger ("could launch attacks" reports none). Sentences that
continue an event ("The attack killed two", "Police dispersed them") are merged into it: they add
fatalities and refine its sub-type.

The modules, one job each:

| module | job |
|---|---|
| `rules` | `data/event_rules.json` loaded (`load_event_rules`); the decision list (`classify`) |
| `cues` | which cues match a sentence, hypothetical matches left out |
| `grouping` | which sentences report an event and which continue it |
| `actors` | the actor lexicon and the actor mentions of a text |
| `roles` | which mention is actor1 and actor2; ACLED's conventions per kind of event |
| `locating` | the event's place, its geo precision and its country |
| `dates` | date expressions resolved against the publication date |
| `fatalities` | fatalities counted with ACLED's conventions |
| `coder` | the Event assembled from a group of sentences (`extract_events`) |
"""

from newsledger.extract.events.coder import extract_events
from newsledger.extract.events.rules import EventRules, load_event_rules

__all__ = ["EventRules", "extract_events", "load_event_rules"]
