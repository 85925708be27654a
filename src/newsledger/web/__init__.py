"""web: the analyst's pages and the JSON API over a ledger (`app.create_app`, `server.serve`)."""
