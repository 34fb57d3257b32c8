"""The district's delinquency policy file (policy.toml), shipped with the package so an installed
Tapline finds it (`policy/service.py: DEFAULT_PATH`)."""
