from kernel.migrate import run_env

run_env()
