"""The pure rule engines of protection (issue 13 items 3, 5, 6): no models, no database.

* :mod:`.terms` — ``expiry(kind, policy=..., filing_date=..., ...)``: the term of the exclusive right per kind;
* :mod:`.fees` — ``fee_rules(policy)``, ``schedule(kind, rules=..., ...)``, ``late_payment``, ``amount_to_pay``:
  the dated fee table and a document's maintenance schedule;
* :mod:`.docket` — ``docket_rules(policy)``, ``plan(facts, rules, ...)``, ``reconcile(stored, planned)``: the
  docket as rule data (phpIP's task_rules);
* :mod:`.events` — the event codes and their labels.

Every rule and row carries ``source`` and ``verified``: an unverified one is shown flagged, never a test oracle.
"""
