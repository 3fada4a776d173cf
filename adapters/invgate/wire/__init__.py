"""InvGate's JSON as the normalised model: lenient scalars (:mod:`.values`), lookups
(:mod:`.catalog`), requests and comments (:mod:`.records`), custom fields
(:mod:`.custom_fields`)."""
