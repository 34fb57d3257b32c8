"""The event relay: copies each service's outbox into its subscribers' inboxes."""
