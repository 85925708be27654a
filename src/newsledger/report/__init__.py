"""The briefing: a situation report over a period of the ledger (issue 15).

`data.gather` reads the period's events, statements, changes and deadlines through the store's
query functions; `figures.build` turns them into the briefing's figures, sentences in words,
chart series and footnotes (a `Briefing`); `charts` and `maps` draw its SVG; `render` writes it
as one self-contained HTML file, a PDF (WeasyPrint, from the same HTML), Markdown or JSON.
"""
