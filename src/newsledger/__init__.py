"""newsledger: a sourced ledger of conflict news."""

__version__ = "0.1.0"
