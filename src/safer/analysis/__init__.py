"""Analysis: small pure functions over Ibis tables, each returning a typed result.

Nothing here reads files, prints or knows which engine runs the query.
"""
