from sti_plan.cli import run

run()
