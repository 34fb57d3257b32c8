"""Lockbox: the bank's file of mailed payments (docs/lockbox.md), read without a database.

reader.read_lockbox → domain.classify → (pay-core) post or file in suspense. sample.py makes
valid files for tests, the demo and the benchmark.
"""
