"""Speakers: the canonical name for each attribution's speaker token (quotations with no cue
borrow theirs in `borrowing`).

Every "he"/"she" subject and every definite description of one person ("The GOP candidate")
is resolved in text order and becomes a mention of its person (a chain): a pronoun goes to the
latest sentence (of five) naming a person of a compatible gender outside quotation marks or
holding a resolved pronoun, and to its subject there. A person's gender comes from a given
name in any written form of the name, else an honorific, else the pronouns resolved to it.
"the Vermont senator" goes to the person given that office beside a mention ("Sen." is
"senator"); an office nobody was given stays as written, and so does a description whose noun
was first an unnamed person ("a woman ... the woman"); another description ("the New York
businessman") goes to the person the two sentences before are about, its words the title.
"they"/"it" go to the subject of a recent reporting or main verb ("they" else to the group
last given as a speaker); "who" to the noun it hangs from; "Reports from X" and "the
statement" (issued by X) to X. Organisations and unnamed groups ("Security experts", "63
percent") are kept as written. When nothing names the speaker it is None, never a guess.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from newsledger.extract.people import entity_at, local_title
from newsledger.extract.quotes.context import Attribution, Context, cue_lemma
from newsledger.records import Entity, Mention, SpeakerKind


@dataclass(frozen=True)
class Said:
    """Who an attribution's speaker is: a name (None when nothing names one), the title, the
    kind of source, and why a candidate was refused."""

    name: str | None
    title: str | None = None
    kind: SpeakerKind = "unknown"
    notes: str = ""


NOBODY = Said(None)
_NOT_SOURCE_ENTITIES = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "EVENT", "LAW"}
)
_AGED = re.compile(r"\d+-years?-old$")
_ISSUERS = frozenset({"person", "organization", "media", "group"})
_ABSTRACT = ("ness", "ity", "tion", "sion", "ment", "ance", "ence", "ism", "ship", "hood")
_AGENT = ("er", "or", "ist", "ian", "ant", "ent")
_COLLECTIVE = frozenset({"family", "staff", "crowd", "public", "audience", "crew", "community"})
_GENDERED = {
    **dict.fromkeys(
        ("woman", "mother", "wife", "daughter", "sister", "actress", "businesswoman", "girl"),
        "female",
    ),
    **dict.fromkeys(
        ("man", "father", "husband", "son", "brother", "actor", "businessman", "boy"), "male"
    ),
}


@dataclass(frozen=True)
class Resolver:
    ctx: Context
    # "he"/"she" and "the senator" already resolved, as mentions of their person:
    # (char, subject rank, person, the description written there or None)
    chain: list[tuple[int, int, Entity, str | None]] = field(default_factory=list)
    # token index -> (person, description), None when nothing was found
    resolved: dict[int, tuple[Entity, str | None] | None] = field(default_factory=dict)
    # the groups given as speakers so far: (token index of the speaker, who)
    groups: list[tuple[int, Said]] = field(default_factory=list)
    titles: dict[int, str | None] = field(default_factory=dict)  # mention start -> its title
    genders: dict[tuple[str, int], str | None] = field(default_factory=dict)  # computed once
    ranks: dict[int, int] = field(default_factory=dict)  # mention start -> its subject rank
    chained: list[bool] = field(default_factory=list)  # [True] once the chain is resolved
    blank: list[bool] = field(default_factory=list)  # sentence -> only white space
    nouns: dict[str, list[int]] = field(default_factory=dict)  # lemma -> singular nouns

    def _in_quote(self, char: int) -> bool:
        return any(q.covers(char) for q in self.ctx.quotations)

    def _gender(self, entity: Entity) -> str | None:
        """The gender a person's names mark: a given name ("Hillary", in any written form of the
        name but its last word: "Crooked Hillary Clinton") or an honorific before a mention."""
        key = (entity.name, entity.mentions[0].start if entity.mentions else -1)
        if key not in self.genders:
            self.genders[key] = self._marked_gender(entity)
        return self.genders[key]

    def _marked_gender(self, entity: Entity) -> str | None:
        lex = self.ctx.lex
        text = self.ctx.text
        forms = [entity.name, *(m.text for m in entity.mentions)]
        given = {w.lower() for form in forms for w in form.split()[:-1]}
        female = bool(given & lex.female_names)
        male = bool(given & lex.male_names)
        if female != male:
            return "female" if female else "male"
        for m in entity.mentions:
            before = text[max(0, m.start - 6) : m.start].lower().split()
            if before and before[-1] in lex.female_honorifics:
                return "female"
            if before and before[-1] in lex.male_honorifics:
                return "male"
        return None

    def _subject_rank(self, char: int) -> int:
        """How much the mention at `char` is what its sentence is about: 3 the subject of the
        sentence's main verb, 2 of a reporting verb, 1 of another clause, 0 not a subject."""
        if char not in self.ranks:
            self.ranks[char] = self._rank(char)
        return self.ranks[char]

    def _rank(self, char: int) -> int:
        span = self.ctx.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return 0
        tok = span[0]
        for _ in range(4):
            if tok.dep_ in ("nsubj", "nsubjpass"):
                verb = tok.head
                if verb.dep_ == "ROOT":
                    return 3
                return 2 if cue_lemma(verb, self.ctx.lex) is not None else 1
            if tok.dep_ in ("compound", "appos", "flat", "conj", "cc") and tok.head.i != tok.i:
                tok = tok.head
                continue
            return 0
        return 0

    def person_pronoun(
        self, tok: Token, gender: str | None, history: dict[str, str], back: int = 5
    ) -> tuple[Entity, str | None] | None:
        """The person "he"/"she" (or "the senator") at `tok` refers to, with the description
        it was last written as when that is how it was found: in the latest sentence (of the
        `back` before) naming a person of a compatible gender outside quotation marks, or
        holding a pronoun or description already resolved to one, the subject of its main verb,
        else of a reporting verb, else of any clause, else the first named there."""
        if tok.i in self.resolved:
            return self.resolved[tok.i]
        ctx = self.ctx
        floor = ctx.sentences[self._sentence_floor(tok, back)].start_char
        cands: list[tuple[int, int, Entity, str | None]] = []
        for entity in ctx.people:
            if entity.kind != "person":
                continue
            known = self._gender(entity) or history.get(entity.name)
            if gender is not None and known is not None and known != gender:
                continue
            for m in entity.mentions:
                if floor <= m.start and m.end <= tok.idx and not self._in_quote(m.start):
                    cands.append((m.start, self._subject_rank(m.start), entity, None))
        for char, rank, entity, title in self.chain:
            known = self._gender(entity) or history.get(entity.name)
            if floor <= char < tok.idx and gender in (None, known or gender):
                cands.append((char, rank, entity, title))
        if not cands:
            return None
        latest = max(cands, key=lambda c: c[0])
        sentence = ctx.sentence_of[self._token_at(latest[0])]
        same = [c for c in cands if ctx.sentence_of[self._token_at(c[0])] == sentence]
        subjects = [c for c in same if c[1]]
        pick = max(subjects, key=lambda c: (c[1], c[0])) if subjects else min(same)
        return pick[2], pick[3]

    def chain_pronouns(self, history: dict[str, str]) -> None:
        """Resolve every "he"/"she" subject and every definite description of one person
        ("The GOP candidate proposes") outside quotation marks in text order, each becoming a
        mention of its person for the pronouns after it ("He has come up with a model, he
        said": the second "he" is the first's person)."""
        if self.chained:
            return
        self.chained.append(True)
        lex = self.ctx.lex
        for tok in self.ctx.doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or self.ctx.quote_of[tok.i] >= 0:
                continue
            low = tok.lower_
            if low in lex.male_pronouns or low in lex.female_pronouns:
                gender: str | None = "male" if low in lex.male_pronouns else "female"
                found = self.person_pronoun(tok, gender, history)
            elif self._description(tok):
                gender = None
                found = self._described_person(tok, history)
            else:
                continue
            self.resolved[tok.i] = found
            if found is not None:
                if gender is not None:
                    history.setdefault(found[0].name, gender)
                self.chain.append((tok.idx, self._subject_rank(tok.idx), *found))

    def _description(self, tok: Token) -> bool:
        """ "The GOP candidate", "the former senator", "the 45-year-old": one person described
        with "the" and a title or a noun for a person, no name of its own."""
        lex = self.ctx.lex
        if tok.pos_ != "NOUN" or tok.tag_ != "NN" or tok.ent_type_ not in ("", "NORP"):
            return False
        lemma = tok.lemma_.lower()
        if lemma not in lex.title_words and lemma not in lex.people_nouns:
            return False
        things = lex.organization_nouns | lex.media_nouns | lex.document_nouns | lex.group_words
        if lemma in things or lemma in _COLLECTIVE:
            return False
        children = list(tok.children)
        if any(c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in children):
            return False  # "the Trump adviser" is not Trump
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in children):
            return False
        if any(c.dep_ in ("appos", "relcl", "acl", "conj", "poss") for c in children):
            return False
        return not any(c.dep_ == "prep" for c in children if c.i > tok.i)

    def _described_person(
        self, tok: Token, history: dict[str, str]
    ) -> tuple[Entity, str | None] | None:
        """The person "the senator" is: the person last given that title, else the one the
        sentences just before are about; the description as written is the title."""
        text = self.nominal_text(tok)
        entity = self._title_anaphor(tok)
        if entity is not None:
            own = entity.title
            same = own is not None and text is not None
            if same and set(str(text).lower().split()) <= set(str(own).lower().split()):
                return entity, own  # the title as first written ("Security expert")
            return entity, text or own
        if tok.lemma_.lower() in self.ctx.lex.offices:
            return None  # "the senator" no one was called: kept as written, never a guess
        if self._unnamed_before(tok):
            return None  # "a woman said ... the woman added": the unnamed one, as written
        gender = _GENDERED.get(tok.lemma_.lower())
        found = self.person_pronoun(tok, gender, history, back=2)
        if found is None:
            return None
        return found[0], text

    def _unnamed_before(self, tok: Token) -> bool:
        """Whether a noun of the same lemma before `tok` names nobody ("a woman", "a judge" with
        no name beside it): "the woman" then refers to that one, not to a named person."""
        lemma = tok.lemma_.lower()
        if not self.nouns:  # lemma -> the singular nouns of that lemma, once a document
            self.nouns[""] = []
            for t in self.ctx.doc:
                if t.tag_ == "NN":
                    self.nouns.setdefault(t.lemma_.lower(), []).append(t.i)
        doc = self.ctx.doc
        for prev in (doc[i] for i in self.nouns.get(lemma, []) if i < tok.i):
            if prev.dep_ in ("attr", "appos"):
                continue  # "X is the only candidate" describes X
            if self.ctx.quote_of[prev.i] >= 0:
                continue
            if entity_at(self.ctx.people, prev.idx, prev.idx + len(prev.text)) is not None:
                continue
            near = [prev, prev.head, *prev.children]
            named = any(
                t.dep_ in ("appos", "compound", "flat") or t.ent_type_ == "PERSON"
                for t in near
                if t.i != prev.i and t.pos_ == "PROPN"
            )
            if not named:
                return True
        return False

    def _token_at(self, char: int) -> int:
        return self.ctx.token_at(char)

    def nominal_text(self, tok: Token, preps: bool = False) -> str | None:
        """The noun phrase as written, without its clauses, appositions and conjuncts (and
        without its prepositional phrases unless `preps`: "a protester outside the court")."""
        dropped: set[int] = set()
        for child in tok.children:
            if child.dep_ in ("relcl", "acl", "appos", "punct", "advmod", "cc", "conj", "prep"):
                if child.dep_ == "prep" and child.lower_ == "of" and child.i == tok.i + 1:
                    continue
                if child.dep_ == "prep" and preps and child.i > tok.i:
                    continue
                dropped.update(t.i for t in child.subtree)
        toks = [t for t in tok.subtree if t.i not in dropped]
        if toks and any(b.i + 1 != a.i for b, a in itertools.pairwise(toks)):
            toks = [t for t in toks if t.i <= tok.i]
        while toks and (toks[0].pos_ in ("DET",) or toks[0].is_punct):
            toks = toks[1:]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if not toks:
            return None
        if len(toks) > 8:
            toks = [t for t in toks if t.i <= tok.i][-4:]
        text = self.ctx.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
        return re.sub(r"\s+", " ", text).strip()

    def _title_anaphor(self, tok: Token) -> Entity | None:
        """ "the security expert", "the Vermont senator" -> the person last given that title
        (beside any mention before it; "Sen." is "senator")."""
        lex = self.ctx.lex
        if tok.pos_ != "NOUN" or tok.lower_ not in lex.title_words:
            return None
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            return None
        words = {t.lower_ for t in tok.subtree if t.i <= tok.i and t.is_alpha}
        words.discard("the")
        best: tuple[int, Entity] | None = None
        for entity in self.ctx.people:
            if entity.kind != "person":
                continue
            before = [m for m in entity.mentions if m.start < tok.idx]
            if not before or (best is not None and before[-1].start <= best[0]):
                continue
            titles = [entity.title] if entity.title else []
            titles += [t for m in before if (t := self._title_at(m)) is not None]
            if any(words <= self._title_words(title) for title in titles):
                best = (before[-1].start, entity)
        return best[1] if best else None

    def _title_at(self, m: Mention) -> str | None:
        """The title written beside a mention of a person (computed once a mention)."""
        if m.start not in self.titles:
            doc = self.ctx.doc
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            title = local_title(doc, span.start, span.end, self.ctx.lex)[0] if span else None
            self.titles[m.start] = title
        return self.titles[m.start]

    def _title_words(self, title: str) -> set[str]:
        abbreviations = self.ctx.lex.title_abbreviations
        words = {w.strip(",") for w in title.lower().split()}
        return words | {abbreviations[w] for w in words if w in abbreviations}

    def _statement_author(self, tok: Token) -> Token | None:
        """ "The statement said" -> the subject of the verb that issued "a statement" before."""
        doc = self.ctx.doc
        for prev in reversed(doc[: tok.i]):
            if prev.lemma_.lower() != tok.lemma_.lower() or prev.i == tok.i:
                continue
            node = prev
            for _ in range(4):
                if node.pos_ in ("VERB", "AUX"):
                    subject = next(
                        (c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None
                    )
                    if subject is not None and subject.i != prev.i:
                        return subject
                if node.head.i == node.i:
                    break
                node = node.head
        return None

    def speaker(self, tok: Token, history: dict[str, str], depth: int = 0) -> Said:
        """The speaker named by the head token of a speaker's noun phrase."""
        ctx = self.ctx
        lex = ctx.lex
        low = tok.lower_
        if depth > 3:
            return NOBODY
        if low in lex.relative_pronouns and tok.head.dep_ == "relcl":
            return self.speaker(tok.head.head, history, depth + 1)
        if low in lex.male_pronouns or low in lex.female_pronouns:
            gender = "male" if low in lex.male_pronouns else "female"
            found = self.person_pronoun(tok, gender, history)
            if found is None:
                return NOBODY
            who, described = found
            history[who.name] = gender
            return Said(who.name, described or who.title, "person")
        if low in lex.plural_pronouns or low in lex.neuter_pronouns:
            antecedent = self._thing_antecedent(tok, plural=low in lex.plural_pronouns)
            if antecedent is None:
                if low in lex.plural_pronouns:
                    return self._last_group(tok)
                return NOBODY
            return self.speaker(antecedent, history, depth + 1)
        if (low in lex.pronouns or tok.pos_ == "PRON") and not self._people_word(tok):
            return NOBODY
        # a named person or organisation in the phrase's head, its appositions or compounds
        heads = [tok, *[c for c in tok.children if c.dep_ == "appos"]]
        for head in heads:
            entity = entity_at(ctx.people, head.idx, head.idx + len(head.text))
            if entity is not None and entity.kind == "person":
                others = [self._person(c) for c in tok.children if c.dep_ == "conj"]
                if others and all(others) and head is tok:
                    names = [entity.name, *(o.name for o in others if o is not None)]
                    return Said(" and ".join(names), None, "group")
                return Said(entity.name, self._title_here(head, entity), "person")
        entity = entity_at(ctx.people, tok.idx, tok.idx + len(tok.text))
        if entity is not None:
            kind = "person" if entity.kind == "person" else self._organization_kind(entity.name)
            return Said(entity.name, entity.title, kind)
        lemma = tok.lemma_.lower()
        if lemma in lex.document_nouns or low in lex.document_nouns:
            return self._document(tok, history, depth)
        if tok.i in self.resolved or self._description(tok):
            anaphor = self.resolved.get(tok.i) or self._described_person(tok, history)
            if anaphor is not None:
                return Said(anaphor[0].name, anaphor[1] or anaphor[0].title, "person")
        person = self._title_anaphor(tok)
        if person is not None:
            return Said(person.name, person.title, "person")
        text = self.nominal_text(tok)
        source_kind = self._kind_of(tok)
        if source_kind is None:
            return Said(None, None, "unknown", f"speaker refused: {text!r} cannot state anything")
        if source_kind in ("group", "person") and not tok.ent_type_:
            text = self.nominal_text(tok, preps=True)  # a description, kept as written
        return Said(text, None, source_kind)

    def _document(self, tok: Token, history: dict[str, str], depth: int) -> Said:
        """A report, a statement, a poll. With who issued it ("a report by X", "X's statement",
        "the statement" X issued before) the speaker is the issuer and its title the document
        as written; else the speaker is the document as written."""
        lex = self.ctx.lex
        text = self._document_text(tok)
        issuers = [c for c in tok.children if c.dep_ == "poss"]
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in lex.agent_prepositions:
                issuers.extend(c for c in child.children if c.dep_ == "pobj")
        for issuer in issuers:
            said = self.speaker(issuer, history, depth + 1)
            if said.name is not None and said.kind in _ISSUERS:
                return Said(said.name, text, "document")
        if any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
            author_tok = self._statement_author(tok)
            if author_tok is not None:
                said = self.speaker(author_tok, history, depth + 1)  # who issued it
                if said.name is not None:
                    return Said(said.name, said.title or text, "document")
        return Said(text, None, "document")

    def _document_text(self, tok: Token) -> str:
        """The document's phrase as written, with its agent ("report by X") and no clauses."""
        lex = self.ctx.lex
        dropped: set[int] = set()
        for child in tok.children:
            clause = child.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj", "advmod")
            if clause or (child.dep_ == "prep" and child.lower_ not in lex.agent_prepositions):
                dropped.update(t.i for t in child.subtree)
        toks = [t for t in tok.subtree if t.i not in dropped]
        while toks and (toks[0].pos_ == "DET" or toks[0].is_punct):
            toks = toks[1:]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if not toks or len(toks) > 12 or any(b.i + 1 != a.i for b, a in itertools.pairwise(toks)):
            return self.nominal_text(tok) or tok.text
        return re.sub(r"\s+", " ", self.ctx.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)])

    def _people_word(self, tok: Token) -> bool:
        """ "someone", "many", "others": pronouns that name people when they speak."""
        lex = self.ctx.lex
        return tok.lower_ in lex.people_nouns or tok.lower_ in lex.group_words

    def _organization_kind(self, name: str) -> SpeakerKind:
        words = {w.lower().strip(".") for w in name.split()}
        return "media" if words & self.ctx.lex.media_name_words else "organization"

    def _kind_of(self, tok: Token) -> SpeakerKind | None:
        """The kind of source an unnamed noun phrase is; None when it cannot state anything:
        a time, an amount, a topic or an object (`not_sources`), an abstract noun."""
        lex = self.ctx.lex
        lemma = tok.lemma_.lower()
        low = tok.lower_
        plural = tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children)
        people: SpeakerKind = "group" if plural else "person"
        if lemma in lex.media_nouns or low in lex.media_nouns:
            return "media"
        if tok.ent_type_ == "ORG":
            phrase = " ".join(t.text for t in tok.subtree if t.ent_type_ == "ORG")
            return self._organization_kind(phrase)
        if lemma in lex.organization_nouns or low in lex.organization_nouns:
            return "organization"
        if tok.ent_type_ == "GPE":
            return "organization"
        if tok.ent_type_ == "NORP" or low in lex.group_words:
            return "group"
        if lemma in lex.people_nouns or low in lex.people_nouns or lemma in lex.title_words:
            return people
        named = tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start)
        if tok.ent_type_ == "PERSON" or named:
            return people
        if tok.lower_ == "old" and _AGED.search(self.ctx.text[tok.left_edge.idx : tok.idx + 3]):
            return "person"  # "a 26-year-old"
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        members = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        amount = (
            tok.ent_type_ in _NOT_SOURCE_ENTITIES
            or tok.like_num
            or lemma in lex.not_sources
            or low in lex.group_words
        )  # "a number of", "40 percent of", "thousands of"
        if (
            amount
            and members is not None
            and (
                members.lower_ in lex.plural_pronouns | lex.first_person
                or self._kind_of(members) in ("person", "group", "organization")
            )
        ):
            return "group"  # "a number of lawmakers", "40 percent of voters"
        if tok.ent_type_ == "PERCENT" and self._reports(tok):
            return "group"  # "63 percent said": a share of those asked
        if tok.ent_type_ in _NOT_SOURCE_ENTITIES or tok.like_num:
            return None
        if lemma in lex.not_sources or low in lex.not_sources:
            return None
        if tok.pos_ == "NOUN" and lemma.endswith(_ABSTRACT):
            return None
        if tok.pos_ == "NOUN" and lemma.endswith(_AGENT):
            return people  # "narrator", "questioners", "pollsters", "civilians", "residents"
        return "unknown"

    def _reports(self, tok: Token) -> bool:
        """Whether `tok` is the subject of a reporting verb."""
        return tok.dep_ in ("nsubj", "nsubjpass") and cue_lemma(tok.head, self.ctx.lex) is not None

    def _person(self, tok: Token) -> Entity | None:
        entity = entity_at(self.ctx.people, tok.idx, tok.idx + len(tok.text))
        return entity if entity is not None and entity.kind == "person" else None

    def _title_here(self, head: Token, entity: Entity) -> str | None:
        doc = self.ctx.doc
        for m in entity.mentions:
            if m.start <= head.idx < m.end:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    title, _ = local_title(doc, span.start, span.end, self.ctx.lex)
                    if title:
                        return title
        return entity.title

    def _last_group(self, tok: Token) -> Said:
        """ "According to show insiders … They said": the group last given as a speaker in
        the two sentences before."""
        floor = self.ctx.sentences[self._sentence_floor(tok, 2)].start
        for i, said in reversed(self.groups):
            if floor <= i < tok.i:
                return said
        return NOBODY

    def _sentence_floor(self, tok: Token, back: int) -> int:
        """The index of the sentence `back` sentences before `tok`'s, counting only sentences
        that are more than white space (a paragraph break is a sentence of its own)."""
        if not self.blank:
            text = self.ctx.text
            self.blank.extend(
                not text[s.start_char : s.end_char].strip() for s in self.ctx.sentences
            )
        si = self.ctx.sentence_of[tok.i]
        while back and si > 0:
            si -= 1
            back -= not self.blank[si]
        return si

    def _thing_antecedent(self, tok: Token, plural: bool) -> Token | None:
        ctx = self.ctx
        lo = ctx.sentences[self._sentence_floor(tok, 2)].start
        for cand in reversed(ctx.doc[lo : tok.i]):
            if cand.dep_ not in ("nsubj", "nsubjpass") or ctx.quote_of[cand.i] >= 0:
                continue
            if cand.head.dep_ != "ROOT" and cue_lemma(cand.head, ctx.lex) is None:
                continue
            if cand.pos_ == "PRON":
                continue
            is_plural = cand.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in cand.children)
            if plural and is_plural:
                return cand
            if not plural and not is_plural and cand.pos_ in ("NOUN", "PROPN"):
                entity = entity_at(ctx.people, cand.idx, cand.idx + len(cand.text))
                if entity is not None and entity.kind == "person":
                    continue
                return cand
        return None


def resolve_speakers(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """Give each attribution its speaker, in text order (pronouns learn genders as they go)."""
    resolver = Resolver(ctx)
    history: dict[str, str] = {}
    resolver.chain_pronouns(history)
    out = []
    for a in sorted(atts, key=lambda a: a.start):
        subject = a.subject
        if subject is not None:
            said = resolver.speaker(ctx.doc[subject], history)
            a = replace(
                a, speaker=said.name, title=said.title, speaker_kind=said.kind, notes=said.notes
            )
            plural = ctx.doc[subject].tag_ in ("NNS", "NNPS")
            if said.name is not None and (said.kind in ("group", "media") or plural):
                resolver.groups.append((subject, said))
        out.append(a)
    return out
