from sti_plan.cli import app

app(prog_name="sti-plan")
