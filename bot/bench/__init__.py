"""Benchmarks and fault runs: figures under load and counts under faults.

Figures for intake, alerts, scale and serve start; counts for kill -9, Bot API
errors, database outages and two instances.

They share one harness: :mod:`~bot.bench.service` runs ``minqing serve`` in
child processes against the fake Bot API, :mod:`~bot.bench.webhook` posts to
its webhook, :mod:`~bot.bench.database` makes each run's database,
:mod:`~bot.bench.harness` frames every fault run (the officers' warnings:
:mod:`~bot.bench.burst`; the counts: :mod:`~bot.bench.fault_report`),
:mod:`~bot.bench.figures` keeps the figures. On top of everything: a module
here may import any part of the project; nothing outside ``bot.bench`` and
``bot.cli`` imports it (the test fixtures excepted). ``python -m bot.bench.faults
RUN`` runs one fault scenario; the benchmarks run as ``minqing bench TARGET``.
"""
