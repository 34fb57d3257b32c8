"""Lockbox: the bank's file of mailed payments (docs/lockbox.md).

reader.read_lockbox → domain.classify (no database) → service.import_file posts the matched
checks through posting's service and files the rest in suspense. sample.py makes valid files
for tests, the demo and the benchmark.
"""
