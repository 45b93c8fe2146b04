from safety_plan.cli import main

main()
