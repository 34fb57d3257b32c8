"""Payment processors: the interface payments takes card and bank-account money through, a
built-in sandbox (demo, tests) and Stripe. Pure: no database, no router.

`base.Processor` is the interface and the typed events webhooks become; `sandbox` and
`stripe_processor` implement it; `deliveries` plans the retried, duplicated, reordered and
hostile webhook deliveries the storm test sends. Wired: the app picks a processor from
configuration (`configured.from_settings`), and `services/payments/webhooks/` hands each raw
request to `parse_webhook` before anything reads the body, dedupes by the event's `event_id` and
posts by its `idempotency_key`.
"""
