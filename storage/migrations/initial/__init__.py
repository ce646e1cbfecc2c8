"""The tables of the initial schema (revision 0001), one module a part of the domain.

Imported only by ``versions/0001_initial_schema.py``; they import nothing of the project.
"""
