"""Every SQL statement the ledger runs, in one place, by who reads it.

`dialect`: what differs between SQLite and PostgreSQL (and rendering templates for each);
`tables`: the ledger's articles, records and changes (schema, writes, export, stats);
`reads`: the web app's and API's filtered, paginated lists and their indexes;
`track`: tracking across articles; `watch`: watching sources and alerts.
"""
