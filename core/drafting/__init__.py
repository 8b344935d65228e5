"""Drafting together: the one machinery by which the working group and the parties write a
document in versioned pieces, whichever document it is (the jaarschijf, a framework in concept).

It lives in ``core`` (core/drafting/, its tables in the core app) because it must sit below
every app that drafts a document: core imports no app, so neither does this. A document plugs
in with an adapter (core.drafting.registry.Drafted, ``@register``), as signable documents do in
agreements.signing.registry; everything else is keyed by strings:

- a document: its adapter's ``key`` ("jaarschijf", "kader") and its id (a ``DocumentRef``);
- a piece of it: a piece-type key ("bijdrage", "tekst", "doel", ...) and the piece's id.

One set of tables for the concepts (core.drafting.models): a piece's change (history, restore),
a comment-thread entry, a presence heartbeat, a user's visit. The writes are in
core.drafting.services (record a change, the optimistic ``UPDATE ... WHERE version =`` save
that raises core.conflicts.EditConflict, restore as a new change, presence, visits, comments
with e-mail after commit), the reads in core.drafting.selectors (threads, presence, history with
word diffs). The shared templates are in templates/core/drafting/ and take their URLs from the
``drafting`` context variable (a core.drafting.registry.DraftingUrls).
"""
