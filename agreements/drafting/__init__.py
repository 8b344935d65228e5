"""A framework in concept, drafted in the browser as pieces with the portal's one drafting
machinery (core.drafting): its texts, each theme, agreement and target is a versioned piece
with comments, history (word diffs, restore) and presence. ``FrameworkDrafted`` (services.py)
plugs the framework in; pieces.py says what each kind of piece holds."""
