"""The council-democracy core: pure domain rules, no I/O, no clock (time is passed in).

One module per concept; import from them directly:

==================  ========================================================
``council``         councils as a tree (workplace -> ... -> international)
``member``          members; ``membership``: one workplace council each
``constituency``    constituencies computed through the tree
``delegation``      delegates per N members, at least one
``seat``/``term``   seats, fixed terms; ``mandate``: who holds a seat, until when
``election``        elections due before expiry, by-elections
``recall``          recall petitions, thresholds, recall ballots
``wage``/``pay``    wage reports; the pay cap (mean or median of constituents)
``motion``          motions and amendments
``decision``        decision rules in exact rational arithmetic
``electorate``      electorates frozen and hashed at opening
``ballot``          ballot lifecycle, opening and casting preconditions as data
``receipt``         receipts to check a ballot was counted
``audit``           the hash-chained audit log and its checkpoints
``dispute``         disputes of one or more councils with an employer over demands
``roster``          the strikers, changed only by recorded events
``offer``           employer offers, published to every striker
``threshold``       legal thresholds as versioned, dated rule sets (TUA 2016, ...)
``strike_ballot``   strikers' ballots, results notices, mandates for action
``action``          calls to action under a mandate in force
``settlement``      settling only on an offer a strikers' ballot accepted
``strike_fund``     contributions, strike pay per striker and period, runway
``event``           domain events with canonical JSON
``counting``        the exact counting methods (Scottish STV, Meek, IRV, ...)
==================  ========================================================
"""
